using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Scratch.Cli.Output;
using Scratch.Cli.Report;
using Scratch.Cli.Runs;
using Scratch.Experiments.Robustness;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Files;
using Scratch.Models.Training;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch robustness — the AVAE paper's measurements: per seed, trains a VAE, an AVAE and the
/// AVAE post-processing of that VAE, and measures each (RE, −ELBO, self-consistency, and the
/// accuracy of a linear probe on the codes under PGD attacks on the encoder, L∞ and L2, over a grid
/// of ε). Prints the tables (mean ± sd over seeds) and writes report.html with the robustness
/// curves, curves.svg, table.md, robustness.csv (every model and seed), summary.csv and each model's
/// checkpoint. With --checkpoint it measures trained VAE or AVAE checkpoints instead.
/// </summary>
public static class RobustnessCommand
{
    // 30 epochs of the authors' ColorMnist MLP on the bundled 7,996 digits, batch 64: ~3,750 steps per
    // model (the authors ran 102,000 at a tenth of this learning rate), which keeps the default 3-seed
    // run within minutes on 2 cores (measured: README). Longer helps the AVAE most: one seed on grey
    // digits at 20 → 60 epochs, clean accuracy 0.76 → 0.87 (VAE 0.74 → 0.78), for three times the time.
    public const int DefaultEpochs = 30;
    public const int DefaultPostEpochs = 10;
    public static readonly int[] DefaultHidden = [200, 200, 200, 200];
    public const int DefaultLatent = 64;

    // --quick: a run in seconds for tests and CI; any of these the user gives wins.
    private static readonly int[] QuickHidden = [64];
    private const int QuickLatent = 8, QuickEpochs = 5, QuickTrainLimit = 1000, QuickTestLimit = 200, QuickSteps = 3, QuickSamples = 200, QuickProbeEpochs = 10;

    public static Command Create(CliContext context)
    {
        var defaults = new MeasureSettings();
        var quick = new Option<bool>("--quick") { Description = $"A run in seconds for tests and CI: an MLP {QuickHidden[0]}-{QuickLatent}, {QuickEpochs} epochs, one seed, {QuickTrainLimit} training and {QuickTestLimit} test images, {QuickSteps} attack steps" };
        var seeds = OptionRules.SeedList("--seeds", "Seeds, comma-separated: one VAE, AVAE and post-processed VAE each (with --checkpoint: the first seeds the measures)", [1, 2, 3]);
        var epochs = OptionRules.Int("--epochs", "Epochs of the VAE and of the AVAE", DefaultEpochs, 0, RecipeOptions.MaxEpochs);
        var postEpochs = OptionRules.Int("--post-epochs", "Epochs of the post-processing (the VAE's encoder trained for self-consistency on its own samples)", DefaultPostEpochs, 0, RecipeOptions.MaxEpochs);
        var hidden = new Option<int[]>("--hidden")
        {
            Description = "Hidden layer sizes of the encoder, comma-separated (the decoder mirrors them); the default is the authors' ColorMnist MLP",
            DefaultValueFactory = _ => DefaultHidden,
            CustomParser = CommonOptions.ParseSizes,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var latent = OptionRules.Int("--latent", "Size of the code z (the default is the authors' README run's)", DefaultLatent, 1, CommonOptions.MaxLayerSize);
        var arch = OptionRules.OneOf("--arch", "Encoder/decoder: mlp (through --hidden) or conv (see train --help)", "mlp", "mlp", "conv");
        var width = OptionRules.Int("--width", "--arch conv: channels of the first stride-2 stage", ConvNetworks.DefaultWidth, 1, 1024);
        var loss = OptionRules.OneOf("--loss", "Data term: mse (squared error of sigmoid outputs: the authors' Gaussian of variance 0.5, up to its constant) or bce (on logits, Scratch's default elsewhere)", "mse", "mse", "bce");
        var rho = OptionRules.Double("--rho", "AVAE: ρ of the coupling p(z_aux | z) = N(ρz, (1 − ρ²)I)", AutoencodingVae.DefaultRho, new(0, 1, MinOpen: true, MaxOpen: true));
        var beta = OptionRules.Double("--beta", "Weight of the KL term of every model", 1.0, OptionRules.Range.AtLeast(0));
        var batch = OptionRules.Int("--batch", "Mini-batch size (the default is the authors')", 64, 1, 65536);
        var lr = OptionRules.Double("--lr", "Adam's learning rate", 1e-3, OptionRules.Range.Above(0));
        var trainLimit = OptionRules.Int("--train-limit", "Use only the first N training images (0 = all)", 0, 0, int.MaxValue);
        var testLimit = OptionRules.Int("--test-limit", "Use only the first N test images (0 = all): every one is attacked at every ε", 0, 0, int.MaxValue);
        var norms = OptionRules.WordList("--norms", "Attack norms, comma-separated: linf, l2", ["linf", "l2"], "linf", "l2");
        var linf = OptionRules.DoubleList("--linf-epsilons", "L∞ radii of the curve, comma-separated, in [0, 1] (pixels are in [0, 1]; 0 is the clean accuracy)", defaults.LInfEpsilons, new(0, 1));
        var l2 = OptionRules.DoubleList("--l2-epsilons", "L2 radii of the curve over a whole image, comma-separated, ≥ 0 (0 is the clean accuracy)", defaults.L2Epsilons, OptionRules.Range.AtLeast(0, 1e4));
        var steps = OptionRules.Int("--steps", "PGD steps per attack", defaults.Steps, 1, 10_000);
        var stepFactor = OptionRules.Double("--step-factor", "Each PGD step is this × ε / steps long", defaults.StepFactor, OptionRules.Range.Positive(100));
        var samples = OptionRules.Int("--consistency-samples", "Codes z ~ N(0, I) of the self-consistency measure", defaults.ConsistencySamples, 2, 1_000_000);
        var checkpoints = new Option<string[]>("--checkpoint")
        {
            Description = "Measure these trained VAE or AVAE checkpoints (files or run folders; repeat the option or separate by commas) instead of training the three models",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var device = CommonOptions.Device();
        var data = new DataArguments();
        var output = OptionRules.WithOutputAliases(OptionRules.OptionalText("--out", "Output folder (default runs/robustness; with --quick runs/robustness-quick)"));
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run in the --out folder (without it, such a folder is refused)" };
        var command = new Command("robustness", "The AVAE paper's measurements: VAE, AVAE and post-processed VAE by RE, ELBO, self-consistency and the accuracy of a probe on their codes under PGD attacks")
        {
            quick, seeds, epochs, postEpochs, hidden, latent, arch, width, loss, rho, beta, batch, lr, trainLimit, testLimit,
            norms, linf, l2, steps, stepFactor, samples, checkpoints, device, output, overwrite,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            bool isQuick = parse.GetValue(quick);
            bool Given(Option option) => CommonOptions.Given(parse, option);
            var chosen = parse.GetValue(norms)!;
            var measure = new MeasureSettings
            {
                LInfEpsilons = chosen.Contains("linf") ? parse.GetValue(linf)! : [],
                L2Epsilons = chosen.Contains("l2") ? parse.GetValue(l2)! : [],
                Steps = isQuick && !Given(steps) ? QuickSteps : parse.GetValue(steps),
                StepFactor = parse.GetValue(stepFactor),
                ConsistencySamples = isQuick && !Given(samples) ? QuickSamples : parse.GetValue(samples),
                Probe = isQuick ? new ProbeSettings { Epochs = QuickProbeEpochs } : new ProbeSettings(),
                Device = Device.Parse(parse.GetValue(device)!),
            };
            if (!measure.Grid.Any()) throw new UsageException("--norms: no ε to measure (the chosen norms' --linf-epsilons / --l2-epsilons are none)");
            var checkpointPaths = (parse.GetValue(checkpoints) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
            if (Given(checkpoints) && checkpointPaths.Length == 0) throw new UsageException("--checkpoint: expected a checkpoint file or run folder");
            var checkpointFiles = checkpointPaths.Select(CheckpointOf).ToArray();   // refused before any data is read
            var dataset = data.Load(parse, context);
            string folder = parse.GetValue(output) ?? Path.Combine("runs", isQuick ? "robustness-quick" : "robustness");
            string commandLine = "scratch " + string.Join(" ", parse.Tokens.Select(t => t.Value));
            if (checkpointFiles.Length > 0)
            {
                Option[] used = [seeds, norms, linf, l2, steps, stepFactor, samples, checkpoints, device, testLimit, trainLimit, output, overwrite, quick, .. data.All];
                var ignored = command.Options.Where(o => !used.Contains(o) && Given(o)).Select(o => o.Name).ToList();
                if (ignored.Count > 0) context.Line($"note: ignoring {string.Join(", ", ignored)}: --checkpoint measures the trained models as they are");
                return MeasureCheckpoints(context, checkpointFiles, dataset, measure, parse.GetValue(seeds)![0], parse.GetValue(trainLimit), parse.GetValue(testLimit),
                    folder, parse.GetValue(overwrite), commandLine);
            }
            var config = new AutoencoderConfig
            {
                InputSize = dataset.Shape.Pixels,
                Image = dataset.Shape,
                HiddenSizes = isQuick && !Given(hidden) ? QuickHidden : parse.GetValue(hidden)!,
                LatentSize = isQuick && !Given(latent) ? QuickLatent : parse.GetValue(latent),
                Architecture = Enum.Parse<Architecture>(parse.GetValue(arch)!, ignoreCase: true),
                Loss = Enum.Parse<ReconstructionLoss>(parse.GetValue(loss)!, ignoreCase: true),
                ConvWidth = parse.GetValue(width),
            };
            if (config.Architecture == Architecture.Conv && (dataset.Shape.Height < Models.Nn.ConvStages.MinSide || dataset.Shape.Width < Models.Nn.ConvStages.MinSide))
                throw new UsageException($"--arch conv takes images of at least {Models.Nn.ConvStages.MinSide}×{Models.Nn.ConvStages.MinSide} pixels, and the data's are {dataset.Shape}; use --arch mlp");
            var recipe = new RobustnessRecipe
            {
                Spec = new ModelSpec { Config = config, Rho = parse.GetValue(rho), Beta = parse.GetValue(beta) },
                Options = new TrainOptions
                {
                    Epochs = isQuick && !Given(epochs) ? QuickEpochs : parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(lr),
                    TrainLimit = isQuick && !Given(trainLimit) ? QuickTrainLimit : parse.GetValue(trainLimit),
                    TestLimit = isQuick && !Given(testLimit) ? QuickTestLimit : parse.GetValue(testLimit),
                    Device = measure.Device,
                },
                PostEpochs = isQuick && !Given(postEpochs) ? QuickEpochs : parse.GetValue(postEpochs),
                Seeds = isQuick && !Given(seeds) ? [1] : parse.GetValue(seeds)!,
                Measure = measure,
            };
            recipe.Spec.Config.Validate();
            return RunExperiment(context, recipe, dataset, folder, parse.GetValue(overwrite), commandLine);
        });
        return command;
    }

    private static int RunExperiment(CliContext context, RobustnessRecipe recipe, ImageDataset dataset, string folder, bool overwrite, string commandLine)
    {
        var clock = Stopwatch.StartNew();
        if (!dataset.IsLabelled)
            throw new UsageException($"--data {dataset.Source}: the images have no labels; the probe of the robustness curves is trained on them");
        using var held = RunFolder.Claim(folder, overwrite, canResume: false);
        var o = recipe.Options;
        string description = string.Format(CultureInfo.InvariantCulture,
            "vae, avae (ρ {0}) and the avae post-processing of that vae on {1}: {2}, {16} data term, β {3}, {4} epochs ({5} post-processing), batch {6}, Adam lr {7}, seeds {8}; "
            + "{9} training and {10} test images; self-consistency on {11} codes; probe: logistic regression, Adam {12} epochs; attacks: {13}; {14}, {15} thread(s)",
            recipe.Spec.Rho, dataset.Source, recipe.Spec.Config.Describe(), recipe.Spec.Beta, o.Epochs, recipe.PostEpochs, o.BatchSize, o.LearningRate,
            string.Join(",", recipe.Seeds), dataset.Train.Take(o.TrainLimit).Count, dataset.Test.Take(o.TestLimit).Count, recipe.Measure.ConsistencySamples,
            recipe.Measure.Probe.Epochs, AttackDescription(recipe.Measure), o.Device, Kernels.CpuThreads.Count, recipe.Spec.Config.Loss.ToString().ToLowerInvariant());
        context.Line(description);
        var runs = RobustnessExperiment.Run(dataset, recipe, context.Progress.Line, trained =>
        {
            string sub = Path.Combine(folder, $"{trained.Name}-seed{trained.Seed}");
            Directory.CreateDirectory(sub);
            ModelCheckpoint.Save(Path.Combine(sub, ModelCheckpoint.FileName), trained.Trainer);
        });
        return Finish(context, new RobustnessSummary(runs), folder, $"Robustness of VAE and AVAE codes on {dataset.Source} ({dataset.Shape})", description, commandLine, clock);
    }

    private static int MeasureCheckpoints(CliContext context, string[] files, ImageDataset dataset, MeasureSettings measure, ulong seed, int trainLimit, int testLimit,
        string folder, bool overwrite, string commandLine)
    {
        var clock = Stopwatch.StartNew();
        var models = files.Select(f =>
        {
            var loaded = ModelCheckpoint.Load(f);
            if (loaded.Model is not VariationalAutoencoder vae)
                throw new UsageException($"--checkpoint {f}: holds a '{loaded.Spec.Kind}' model; the measures need a VAE or an AVAE (a posterior mean μ(x) and a prior to sample)");
            try
            {
                ImageSizes.Check(vae.Config, dataset.Test, dataset.Source);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--checkpoint {f}: {e.Message}");
            }
            return (Name: $"{loaded.Spec.Kind} ({RunName(f)})", Model: vae, Time: TimeSpan.FromTicks(loaded.History.Sum(h => h.Duration.Ticks)));
        }).ToList();
        if (!dataset.IsLabelled)
            throw new UsageException($"--data {dataset.Source}: the images have no labels; the probe of the robustness curves is trained on them");
        using var held = RunFolder.Claim(folder, overwrite, canResume: false);
        var train = dataset.Train.Take(trainLimit);
        var test = dataset.Test.Take(testLimit);
        string description = string.Format(CultureInfo.InvariantCulture, "{0} on {1}: {2} training and {3} test images, measures seeded by {4}; attacks: {5}; {6}, {7} thread(s)",
            string.Join(", ", models.Select(m => m.Name)), dataset.Source, train.Count, test.Count, seed, AttackDescription(measure), measure.Device, Kernels.CpuThreads.Count);
        context.Line(description);
        var runs = models.Select(m =>
        {
            m.Model.To(measure.Device);
            return RepresentationRobustness.Measure(m.Name, seed, m.Model, train, test, measure, m.Time, context.Progress.Line);
        }).ToList();
        return Finish(context, new RobustnessSummary(runs), folder, $"Robustness of trained codes on {dataset.Source} ({dataset.Shape})", description, commandLine, clock);
    }

    private static int Finish(CliContext context, RobustnessSummary summary, string folder, string title, string description, string commandLine, Stopwatch clock)
    {
        var quality = RobustnessTables.QualityCells(summary);
        var attacks = RobustnessTables.AttackCells(summary);
        context.Console.Write(RobustnessTables.Spectre("test split (mean ± sd over seeds)", quality));
        context.Console.Write(RobustnessTables.Spectre("probe accuracy under attack (mean ± sd)", attacks));
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "robustness.csv"), summary.RunsCsv());
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.csv"), summary.SummaryCsv());
        AtomicFile.WriteAllText(Path.Combine(folder, "table.md"), RobustnessTables.Markdown(quality) + "\n" + RobustnessTables.Markdown(attacks));
        AtomicFile.WriteAllText(Path.Combine(folder, "curves.svg"), RobustnessReport.CurvesSvg(summary));
        string report = Path.Combine(folder, "report.html");
        RobustnessReport.Write(report, title, description, commandLine, summary, clock.Elapsed);
        context.Line($"wrote {report}, curves.svg, table.md, robustness.csv and summary.csv in {folder}");
        context.Line(string.Format(CultureInfo.InvariantCulture, "total time {0:F1} s", clock.Elapsed.TotalSeconds));
        return 0;
    }

    private static string AttackDescription(MeasureSettings m) => string.Format(CultureInfo.InvariantCulture,
        "PGD on ‖μ(x + δ) − μ(x)‖², {0} steps of {1}·ε/{0}, random start; L∞ ε {2}; L2 ε {3}",
        m.Steps, m.StepFactor, m.LInfEpsilons.Length == 0 ? "none" : string.Join(", ", m.LInfEpsilons), m.L2Epsilons.Length == 0 ? "none" : string.Join(", ", m.L2Epsilons));

    // A checkpoint of an autoencoder, or one line (exit 2) saying why not — before any data is read.
    private static string CheckpointOf(string path)
    {
        string file = CommonOptions.CheckpointFile(path);
        if (!File.Exists(file)) throw new UsageException($"--checkpoint {path}: no such file or run folder");
        string content = TrainingState.Read(file).Content;
        if (content != ModelCheckpoint.Content)
            throw new UsageException($"--checkpoint {file}: holds a '{content}' checkpoint, not an autoencoder's; the measures need a trained VAE or AVAE");
        return file;
    }

    // "runs/vae/checkpoint.scratch" → "vae"; "my.scratch" → "my".
    private static string RunName(string file) =>
        Path.GetFileName(file) == ModelCheckpoint.FileName ? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? file : Path.GetFileNameWithoutExtension(file);
}
