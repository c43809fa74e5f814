using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Cli.Output;
using Scratch.Cli.Report;
using Scratch.Cli.Runs;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Training;
using Scratch.Experiments.Evaluation;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch compare — the README's main command: trains the whole family with one set of sizes and
/// one recipe, prints the table, and writes each model's checkpoint and pictures plus one HTML
/// report into --out. Its defaults finish in a few minutes on two cores with the bundled sample.
/// </summary>
public static class CompareCommand
{
    // 784-400-20 (the VAE of pytorch/examples) for every model; the epoch count keeps the whole
    // family within minutes on a 2-core machine. Train longer with --epochs.
    public const int DefaultEpochs = 10;

    public static Command Create(CliContext context)
    {
        var recipe = new RecipeOptions(DefaultEpochs);
        var models = new Option<string[]>("--models")
        {
            Description = "Which models to train, comma-separated (with --arch conv the default is ae,denoising,vae,avae)",
            DefaultValueFactory = _ => ModelSpec.Kinds,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r =>
            {
                var kinds = r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
                var unknown = kinds.Where(k => !ModelSpec.Kinds.Contains(k)).ToList();
                if (kinds.Length == 0 || unknown.Count > 0)
                    r.AddError($"--models: unknown model '{string.Join(",", unknown)}' (expected a comma-separated list of {string.Join(", ", ModelSpec.Kinds)})");
                return kinds;
            },
        };
        var device = CommonOptions.Device();
        var data = new DataArguments();
        var output = OptionRules.WithOutputAliases(OptionRules.Text("--out", "Output folder for the checkpoints, pictures and report.html", Path.Combine("runs", "compare")));
        var json = CommonOptions.Json();
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier comparison in the --out folder (without it, such a folder is refused)" };
        var command = new Command("compare", "Train the whole autoencoder family with the same sizes and recipe, and compare them")
        {
            models, device, output, overwrite, json,
        };
        data.AddTo(command);
        recipe.AddTo(command);
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var dev = Device.Parse(parse.GetValue(device)!);
            var kinds = parse.GetValue(models)!;
            var options = recipe.Options(parse, dev);
            string folder = parse.GetValue(output)!;
            var dataset = data.Load(parse, context);
            var baseSpec = recipe.Spec(parse, kinds[0], dataset.Shape);
            // The conv family is ae, denoising, vae and avae: without an explicit --models, compare those.
            if (baseSpec.Config.Architecture == Architecture.Conv && parse.GetResult(models) is null or { Implicit: true })
            {
                kinds = ModelSpec.ConvKinds;
                baseSpec = baseSpec with { Kind = kinds[0] };
            }
            using var held = RunFolder.Claim(folder, parse.GetValue(overwrite), canResume: false);
            var c = CultureInfo.InvariantCulture;
            context.Progress.Line(string.Format(c, "comparing {0} on {1}: {2}, {3} epochs each, batch {4}, lr {5}, seed {6}, {7}, {8} thread(s)",
                string.Join(", ", kinds), dataset.Source, baseSpec.Config.Describe(), options.Epochs, options.BatchSize, options.LearningRate,
                options.Seed, dev, Kernels.CpuThreads.Count));
            if (CommonOptions.ValidationNote(options, dataset.Train.Take(options.TrainLimit).Count) is { } note)
                context.Progress.Line(note);

            var rows = new TrainingView(context.Progress).Run((onStep, onEpoch) => FamilyComparison.Run(dataset, baseSpec, options, kinds, onStep, onEpoch), options.Epochs);
            var summaries = new List<RunSummary>();
            foreach (var row in rows)
            {
                var summary = RunSummary.Build(row.Kind, row.Model, options, row.History, dataset.Test, row.Scores, row.TestLoss, row.TrainingTime, row.Denoised);
                string sub = Path.Combine(folder, row.Kind);
                Directory.CreateDirectory(sub);
                ModelCheckpoint.Save(Path.Combine(sub, ModelCheckpoint.FileName), row.Trainer);
                RunFiles.WriteHistory(sub, row.History);
                RunFiles.WritePictures(sub, summary.Pictures);
                summaries.Add(summary);
            }
            string report = Path.Combine(folder, "report.html");
            HtmlReport.Write(report, $"Autoencoders on MNIST: {baseSpec.Config.Describe()}, {options.Epochs} epochs", summaries);
            if (parse.GetValue(json))
            {
                JsonResults.Write(context.Output, new JsonObject
                {
                    ["models"] = new JsonArray(summaries.Select(s => (JsonNode)JsonResults.Run(s)).ToArray()),
                    ["noise"] = Corruption.Benchmark.Describe(),
                    ["folder"] = folder,
                    ["report"] = report,
                    ["seconds"] = clock.Elapsed.TotalSeconds,
                });
                return 0;
            }
            context.Console.Write(Tables.Scores(summaries, $"the autoencoder family, {baseSpec.Config.Describe()}, {options.Epochs} epochs, test split"));
            context.Line($"wrote a checkpoint, history and pictures per model under {folder}/<model>/ and the report {report}");
            context.Line(string.Format(c, "total time {0:F1} s", clock.Elapsed.TotalSeconds));
            return 0;
        });
        return command;
    }
}
