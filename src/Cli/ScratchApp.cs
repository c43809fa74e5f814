using System.CommandLine;
using Scratch.Cli.Commands;

namespace Scratch.Cli;

/// <summary>
/// The program: System.CommandLine parses, each command's action does the work. Every failure —
/// a bad argument or a bad file — ends as one line on stderr and a non-zero exit code:
/// 2 for a usage mistake, 1 for anything that went wrong while running.
/// </summary>
public static class ScratchApp
{
    public static int Run(string[] args) => Run(args, CliContext.ForConsole(), Console.Out);

    /// <summary>Runs the program in-process; <paramref name="helpOutput"/> receives --help text.</summary>
    public static int Run(string[] args, CliContext context, TextWriter helpOutput)
    {
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        bool verbose = parse.GetValue<bool>("--verbose");
        if (parse.Errors.Count > 0)
        {
            string command = parse.CommandResult.Command is RootCommand ? "scratch" : $"scratch {parse.CommandResult.Command.Name}";
                        // All parse errors on one line: "fly" is both an unknown word and a missing command.
            var messages = parse.Errors.Select(e => CliErrors.OneLine(e.Message).TrimEnd('.')).Distinct();
            context.Error.WriteLine($"error: {string.Join("; ", messages)} (see '{command} --help')");
            return CliErrors.UsageError;
        }
        try
        {
            CommonOptions.ApplyThreads(parse);
            context.Progress = parse.GetValue<bool>("--quiet") ? CliContext.Silent()
                : parse.CommandResult.Command.Options.Any(o => o.Name == "--json") && parse.GetValue<bool>("--json") ? context.OnError()
                : context;
            return parse.Invoke(new InvocationConfiguration { Output = helpOutput, Error = context.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, context.Error, verbose);
        }
    }

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("scratch — autoencoders on MNIST with an engine written from scratch in C#")
        {
            TrainCommand.Create(context),
            EvalCommand.Create(context),
            SampleCommand.Create(context),
            EncodeCommand.Create(context),
            ReconstructCommand.Create(context),
            CompareCommand.Create(context),
            ReportCommand.Create(context),
            AnomalyCommand.Create(context),
            GenerateCommand.Create(context),
            RobustnessCommand.Create(context),
            ConvertCommand.Create(context),
        };
        root.Add(CommonOptions.Verbose());
        root.Add(CommonOptions.Quiet());
        root.Add(CommonOptions.Threads());
        return root;
    }
}
