using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Scratch.Cli.Pictures;
using Scratch.Cli.Report;
using Scratch.Cli.Runs;
using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Files;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch anomaly — the one-class protocol on MNIST: for each class, fit every chosen method to
/// that class's training images and report the AUROC of its scores over the test split (the class
/// normal, the nine others anomalies), with a PCA baseline of the same code size. Writes the table
/// (auroc.csv), the HTML report with ROC curves and pictures, and the picture class's checkpoints.
/// With --score CHECKPOINT it scores a data folder's images instead (<see cref="AnomalyScoring"/>).
/// </summary>
public static class AnomalyCommand
{
    // 784-400-20 like compare. With about 800 images per class an epoch is only ~7 steps, so far
    // more epochs than compare's 10: 100 (~700 steps per model) still keeps the whole 10-class,
    // 4-method table within minutes on 2 cores; 30 left the AE just below PCA on the sample.
    public const int DefaultEpochs = 100;
    public static readonly string[] DefaultMethods = ["pca", "ae", "denoising", "vae"];

    // --quick: a table in seconds, for tests and CI; any of these the user gives wins.
    private static readonly int[] QuickHidden = [64];
    private const int MaxSamples = 100_000;
    private const int QuickLatent = 8, QuickEpochs = 10, QuickTrainLimit = 200, QuickTestLimit = 500;

    public static Command Create(CliContext context)
    {
        var recipe = new RecipeOptions(DefaultEpochs);
        var models = new Option<string[]>("--models")
        {
            Description = $"Methods, comma-separated, from {string.Join(", ", OneClassProtocol.Methods)}",
            DefaultValueFactory = _ => DefaultMethods,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r => ParseList(r, "--models", OneClassProtocol.Methods.Contains, $"a method ({string.Join(", ", OneClassProtocol.Methods)})"),
        };
        var classes = new Option<int[]>("--classes")
        {
            Description = "Normal classes to run (with --score: the training classes the threshold is taken from), comma-separated, 0..9",
            DefaultValueFactory = _ => Enumerable.Range(0, 10).ToArray(),
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = ParseClasses,
        };
        var samples = OptionRules.Int("--samples", "VAE: importance samples K of the likelihood score (1 = −ELBO; more = the tighter IWAE bound)", 1, 1, MaxSamples);
        var quick = new Option<bool>("--quick") { Description = $"A small table in seconds (784-{QuickHidden[0]}-{QuickLatent}, {QuickEpochs} epochs, {QuickTrainLimit} images per class, first {QuickTestLimit} test images)" };
        var pictureClass = OptionRules.OptionalInt("--picture-class", "The class whose most and least anomalous digits are drawn, and whose checkpoints are saved (default: the first of --classes)", 0, 9);
        var score = OptionRules.OptionalText("--score", "Score the images of --data with this checkpoint instead: writes scores.csv and scores.json with a threshold");
        var images = OptionRules.OptionalText("--images", "With --score: score these images instead of the test split of --data: an IDX images file (raw or .gz), a .npy, or a folder of PNG/JPEG (labels not needed)");
        var percentile = OptionRules.Double("--percentile", "With --score: the threshold is this percentile of the training images' scores", 95.0, new OptionRules.Range(0, 100));
        var measure = OptionRules.OneOf("--measure", "With --score: re (reconstruction error, any model) or elbo (a VAE's −ELBO, or −IWAE with --samples)", "re", "re", "elbo");
        var device = CommonOptions.Device();
        var data = new DataArguments();
        var output = OptionRules.Text("--out", "Output folder (default with --quick: runs/anomaly-quick; with --score: runs/anomaly-scores)", Path.Combine("runs", "anomaly"));
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier table in the --out folder (without it, such a folder is refused)" };
        var command = new Command("anomaly", "One-class anomaly detection: per-class AUROC of each model against a PCA baseline; or score images with --score")
        {
            models, classes, samples, quick, pictureClass, score, images, percentile, measure, device, output, overwrite,
        };
        data.AddTo(command);
        recipe.AddTo(command);
        command.SetAction(parse =>
        {
            var dev = Device.Parse(parse.GetValue(device)!);
            var digits = parse.GetValue(classes)!;
            if (parse.GetValue(score) is { } checkpoint)
            {
                Option[] used = [score, images, classes, samples, percentile, measure, device, .. data.All, output, recipe.Seed, recipe.TestLimit];
                var ignored = command.Options.Where(o => !used.Contains(o) && CommonOptions.Given(parse, o)).Select(o => o.Name).ToList();
                if (ignored.Count > 0) context.Line($"note: ignoring {string.Join(", ", ignored)}: --score uses the checkpoint's model as it is");
                var request = new AnomalyScoring.Request(CommonOptions.CheckpointFile(checkpoint), data.Load(parse, context), CommonOptions.Given(parse, classes) ? digits : null,
                    parse.GetValue(measure)!, parse.GetValue(samples), parse.GetValue(percentile), parse.GetValue(recipe.Seed), parse.GetValue(recipe.TestLimit), dev,
                    CommonOptions.Given(parse, output) ? parse.GetValue(output)! : Path.Combine("runs", "anomaly-scores"), parse.GetValue(images) is { } file ? data.LoadImages(parse, context, file, "--images") : null);
                return AnomalyScoring.Run(context, request);
            }
            // The data first: the models take as many inputs as its images have pixels.
            if (CommonOptions.Given(parse, images))
                throw new UsageException("--images scores a file with a trained model: it needs --score CHECKPOINT");
            var dataset = data.Load(parse, context);
            var spec = recipe.Spec(parse, "ae", dataset.Shape);
            var options = recipe.Options(parse, dev);
            if (parse.GetValue(quick))
            {
                if (!CommonOptions.Given(parse, recipe.Hidden)) spec = spec with { Config = spec.Config with { HiddenSizes = QuickHidden } };
                if (!CommonOptions.Given(parse, recipe.Latent)) spec = spec with { Config = spec.Config with { LatentSize = QuickLatent } };
                options = options with
                {
                    Epochs = CommonOptions.Given(parse, recipe.Epochs) ? options.Epochs : QuickEpochs,
                    TrainLimit = CommonOptions.Given(parse, recipe.TrainLimit) ? options.TrainLimit : QuickTrainLimit,
                    TestLimit = CommonOptions.Given(parse, recipe.TestLimit) ? options.TestLimit : QuickTestLimit,
                };
            }
            spec.Config.Validate();
            int shown = parse.GetValue(pictureClass) ?? digits[0];
            if (!digits.Contains(shown))
                throw new UsageException($"--picture-class {shown} is not one of --classes {string.Join(",", digits)}");
            var oneClass = new OneClassRecipe { Spec = spec, Options = options, VaeSamples = parse.GetValue(samples) };
            string folder = CommonOptions.Given(parse, output) || !parse.GetValue(quick) ? parse.GetValue(output)! : Path.Combine("runs", "anomaly-quick");
            return RunTable(context, oneClass, parse.GetValue(models)!.Distinct().ToArray(), digits, shown, dataset, folder, parse.GetValue(overwrite));
        });
        return command;
    }

    private static int RunTable(CliContext context, OneClassRecipe recipe, string[] methods, int[] digits, int shown, ImageDataset dataset, string folder, bool overwrite)
    {
        var clock = Stopwatch.StartNew();
        var c = CultureInfo.InvariantCulture;
        var test = dataset.Test.Take(recipe.Options.TestLimit);
        CheckClasses(dataset, test, digits);
        using var held = RunFolder.Claim(folder, overwrite, canResume: false);
        var o = recipe.Options;
        string description = string.Format(c, "one-class AUROC of {0} on {1}: {2} (PCA: {3} components), {4} epochs, batch {5}, lr {6}, seed {7}{8}, {9} test images, {10}, {11} thread(s)",
            string.Join(", ", methods), dataset.Source, recipe.Spec.Config.Describe(), recipe.Spec.Config.LatentSize, o.Epochs, o.BatchSize, o.LearningRate, o.Seed,
            o.TrainLimit > 0 ? $", at most {o.TrainLimit} training images per class" : "", test.Count, o.Device, Kernels.CpuThreads.Count);
        context.Line(description);
        if (o.Patience > 0)
            context.Line(string.Format(c, "early stopping after {0} epoch(s) without a better validation loss: each model holds out {1:P0} of its class's training images (chosen by seed {2}); the test images it is scored on are never watched",
                o.Patience, o.ValidationFraction, o.Seed));

        var pictures = new List<Picture>();
        var fitted = OneClassProtocol.Run(dataset, digits, methods, recipe, f =>
        {
            context.Line(string.Format(c, "{0,-12} class {1} ({2} training images): {3}  ({4:F1} s)", f.Method, f.NormalClass, f.TrainCount,
                string.Join(", ", f.Scores.Select(s => $"{s.ScoreName} AUROC {s.Auroc.ToString("F4", c)}")), f.Time.TotalSeconds));
            if (f.NormalClass != shown) return;
            pictures.AddRange(f.Scores.Select(s => AnomalyPictures.ExtremesOfClass(s, test)));
            if (f.Trainer is { } trainer)
            {
                string sub = Path.Combine(folder, $"{f.Method}-class{shown}");
                Directory.CreateDirectory(sub);
                ModelCheckpoint.Save(Path.Combine(sub, ModelCheckpoint.FileName), trainer);
            }
        });

        var table = OneClassTable.From(fitted);
        context.Console.Write(AurocTable(table, $"AUROC per normal class, {recipe.Spec.Config.Describe()}, {o.Epochs} epochs, test split"));
        AtomicFile.WriteAllText(Path.Combine(folder, "auroc.csv"), table.ToCsv());
        RunFiles.WritePictures(folder, pictures);
        string report = Path.Combine(folder, "report.html");
        AnomalyReport.Write(report, $"One-class anomaly detection on MNIST: {recipe.Spec.Config.Describe()}, {o.Epochs} epochs", description, table, fitted, pictures);
        context.Line($"wrote {Path.Combine(folder, "auroc.csv")}, the report {report}, pictures of class {shown} and its checkpoints under {folder}/<model>-class{shown}/");
        context.Line(string.Format(c, "total time {0:F1} s", clock.Elapsed.TotalSeconds));
        return 0;
    }

    /// <summary>Every chosen class needs training images, and the test split both it and other classes.</summary>
    private static void CheckClasses(ImageDataset dataset, ImageSet test, int[] digits)
    {
        foreach (int digit in digits)
        {
            if (!dataset.Train.Labels.Contains(digit))
                throw new UsageException($"--classes: class {digit} has no training images in {dataset.Source}");
            if (!test.Labels.Contains(digit) || test.Labels.All(l => l == digit))
                throw new UsageException($"--classes: class {digit} needs test images of its own and of other classes in {dataset.Source} (test images used: {test.Count})");
        }
    }

    public static Table AurocTable(OneClassTable table, string title)
    {
        var c = CultureInfo.InvariantCulture;
        var t = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded).AddColumn("score");
        foreach (int digit in table.Classes) t.AddColumn(new TableColumn(digit.ToString(c)).RightAligned());
        t.AddColumn(new TableColumn("mean").RightAligned());
        foreach (var name in table.ScoreNames)
            t.AddRow([Markup.Escape(name), .. table.Classes.Select(d => table.Auroc(name, d).ToString("F3", c)), table.Mean(name).ToString("F3", c)]);
        return t;
    }

    // "0,1,7" or "0 1 7" → [0, 1, 7]; each must be a digit class 0..9.
    private static int[] ParseClasses(ArgumentResult result)
    {
        var parts = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var digits = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int digit) || digit is < 0 or > 9)
            {
                result.AddError($"--classes: '{part}' is out of range; the classes are the digits 0..9");
                return [];
            }
            if (!digits.Contains(digit)) digits.Add(digit);
        }
        if (digits.Count == 0) result.AddError("--classes: give at least one class 0..9");
        return digits.ToArray();
    }

    private static string[] ParseList(ArgumentResult result, string option, Func<string, bool> known, string expected)
    {
        var items = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var unknown = items.Where(i => !known(i)).ToList();
        if (items.Length == 0 || unknown.Count > 0)
            result.AddError($"{option}: unknown '{string.Join(",", unknown)}' (expected a comma-separated list, each {expected})");
        return items;
    }
}
