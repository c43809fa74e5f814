using System.CommandLine;
using Scratch.Cli.Report;
using Scratch.Cli.Runs;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch report: one self-contained HTML file from run folders or checkpoints. A folder holding
/// checkpoint.scratch is one run (train's layout); a folder whose subfolders hold them is a
/// family (compare's layout). Scores and pictures are recomputed from the checkpoints.
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = OptionRules.PathArguments("runs", "Run folders (e.g. runs/vae, runs/compare) or checkpoint files");
        var output = OptionRules.WithOutputAliases(OptionRules.OptionalText("--out", "The HTML file to write (default: report.html in the first run folder)"));
        var title = OptionRules.Text("--title", "The report's title", "Autoencoders on MNIST");
        var data = new DataArguments();
        var overwrite = CommonOptions.OverwriteFile();
        var command = new Command("report", "Write one self-contained HTML report (tables, loss curves, pictures) for runs or checkpoints")
        {
            inputs, output, title, overwrite,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(inputs)!;
            var checkpoints = paths.SelectMany(Checkpoints).ToList();
            // The default, report.html in the run folder, is the run's own file and is replaced; a file
            // named by --out may be anyone's and is replaced only with --overwrite.
            string file = parse.GetValue(output) is { } named
                ? CommonOptions.OutputFile(named, "report.html", parse.GetValue(overwrite))
                : CommonOptions.OutputFile(Path.Combine(Directory.Exists(paths[0]) ? paths[0] : Path.GetDirectoryName(Path.GetFullPath(paths[0]))!, "report.html"), "report.html", overwrite: true);
            var dataset = data.Load(parse, context);
            var summaries = new List<RunSummary>();
            foreach (var path in checkpoints)
            {
                var loaded = ModelCheckpoint.Load(path);
                CommonOptions.CheckImages(loaded.Spec.Config, dataset.Test, dataset.Source);
                string name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) is { Length: > 0 } dir ? dir : loaded.Spec.Kind;
                summaries.Add(RunSummary.Build(name, loaded.Model, loaded.Options, loaded.History, dataset.Test));
            }
            HtmlReport.Write(file, parse.GetValue(title)!, summaries);
            context.Console.Write(Output.Tables.Scores(summaries, "test split"));
            context.Line($"wrote {file}");
            return 0;
        });
        return command;
    }

    // A checkpoint file as it is; a run folder's checkpoint; else the checkpoints one level down.
    private static IEnumerable<string> Checkpoints(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path}: no such run folder or checkpoint", path);
        var own = Path.Combine(path, ModelCheckpoint.FileName);
        if (File.Exists(own)) return [own];
        var below = Directory.GetDirectories(path).Order(StringComparer.Ordinal)
            .Select(d => Path.Combine(d, ModelCheckpoint.FileName)).Where(File.Exists).ToList();
        return below.Count > 0 ? below : throw new FileNotFoundException($"{path}: holds no {ModelCheckpoint.FileName}, neither itself nor in a subfolder", path);
    }
}
