using Scratch.Cli.Output;
using System.CommandLine;
using System.Globalization;
using Scratch.Cli.Report;
using Scratch.Cli.Runs;
using Scratch.Models.Gans;
using Scratch.Experiments.Generation;
using Scratch.Experiments.Imaging;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch generate — the references' second experiment: trains a VAE, a DCGAN and a VAE-GAN on the
/// training digits, samples digits from each, and prints model | precision | recall | FID (plus
/// density, coverage and two sanity rows), scored in the feature space of a digit classifier the
/// engine trains once and caches. Writes report.html and one sample grid per model into --out, and
/// each model's checkpoint after every epoch, which --resume continues (or reuses) as train --resume does.
/// </summary>
public static class GenerateCommand
{
    /// <summary>Largest --samples: the k-NN metrics hold an n×n distance matrix per set.</summary>
    public const int MaxSamples = 100_000;

    public static Command Create(CliContext context)
    {
        var quick = new Option<bool>("--quick") { Description = "A seconds-long run for tests and CI: 1 epoch on 512 digits, small networks, 256 samples" };
        var epochs = OptionRules.OptionalInt("--epochs", "GAN epochs (default 15; --quick: 1)", 1, RecipeOptions.MaxEpochs);
        var vaeEpochs = OptionRules.OptionalInt("--vae-epochs", "VAE epochs (default 10; --quick: 1)", 1, RecipeOptions.MaxEpochs);
        var samples = OptionRules.OptionalInt("--samples", "Images sampled per model, compared with as many test images (default: the whole test split; --quick: 256)", 1, MaxSamples);
        var seed = OptionRules.Seed("--seed", "Seed of every model, of the batch order and of the samples", 1UL);
        var models = new Option<string[]>("--models")
        {
            Description = "Which generators to train, comma-separated (default: vae-conv,vae-mlp,dcgan,vae-gan)",
            AllowMultipleArgumentsPerToken = true,
        };
        var data = new DataArguments();
        var output = OptionRules.WithOutputAliases(OptionRules.OptionalText("--out",
            "Output folder for report.html, the sample grids and the GANs' checkpoints (default: runs/generate, or the --resume folder)"));
        var resume = OptionRules.OptionalText("--resume",
            "Continue each model from its checkpoint (<model>.checkpoint.scratch) in this folder of an earlier generate, or reuse it when it has all its epochs");
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier experiment in the --out folder (without it, such a folder is refused)" };
        var cache = OptionRules.Text("--cache", "Folder where the feature network's weights are kept between runs", Path.Combine("runs", "cache"));
        var features = OptionRules.OptionalText("--features",
            "Score with this feature network (a .safetensors file from the --cache folder of a labelled run on images of the same shape) instead of training one on the data's labels: for images without labels");
        var command = new Command("generate", "Train a VAE, a DCGAN and a VAE-GAN, and score their images by precision, recall and FID")
        {
            quick, epochs, vaeEpochs, samples, seed, models, output, resume, overwrite, cache, features,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            ulong s = parse.GetValue(seed);
            var options = parse.GetValue(quick) ? GenerationOptions.Quick(s) : new GenerationOptions { Seed = s, Gan = new GanRecipe { Seed = s } };
            if (parse.GetValue(epochs) is int e) options = options with { Gan = options.Gan with { Epochs = e } };
            if (parse.GetValue(vaeEpochs) is int v) options = options with { VaeEpochs = v };
            if (parse.GetValue(samples) is int n) options = options with { Samples = n };
            string? resumeFolder = parse.GetValue(resume);
            if (resumeFolder is not null && !Directory.Exists(resumeFolder))
                throw new UsageException($"--resume {resumeFolder}: no such folder (expected the --out folder of an earlier `scratch generate`)");
            string folder = parse.GetValue(output) ?? resumeFolder ?? Path.Combine("runs", "generate");
            // Resuming in the resume folder itself continues that experiment: its checkpoints are
            // updated in place and its grids and table redrawn; any other folder is claimed as usual.
            bool continuing = resumeFolder is not null && SameFolder(folder, resumeFolder);
            options = options with { CheckpointFolder = folder, ResumeFolder = resumeFolder, FeaturesFile = parse.GetValue(features) };
            if (options.FeaturesFile is { } featuresFile && !File.Exists(featuresFile))
                throw new UsageException($"--features {featuresFile}: no such file (expected a feature network from the --cache folder of an earlier generate)");
            var candidates = GenerationExperiment.Candidates(options);
            var chosen = (parse.GetValue(models) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
            if (CommonOptions.Given(parse, models) && chosen.Length == 0)
                throw new UsageException($"--models: expected a non-empty value (a comma-separated list of {string.Join(", ", candidates.Select(cand => cand.Key))})");
            if (File.Exists(parse.GetValue(cache)))
                throw new UsageException($"--cache {parse.GetValue(cache)} is a file; expected a folder for the feature network's weights");
            var unknown = chosen.Where(k => candidates.All(cand => cand.Key != k)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"--models: unknown model '{string.Join(",", unknown)}' (expected a comma-separated list of {string.Join(", ", candidates.Select(cand => cand.Key))})");
            if (chosen.Length > 0) candidates = candidates.Where(cand => chosen.Contains(cand.Key)).ToList();
            var dataset = data.Load(parse, context);
            // Every network is sized for the images; the rules' smallest sides are checked here, in one line.
            int smallest = Math.Max(Models.Nn.ConvStages.MinSide, FeatureClassifier.MinSide);
            if (dataset.Shape.Height < smallest || dataset.Shape.Width < smallest)
                throw new UsageException($"generate: the feature network takes images of at least {smallest}×{smallest} pixels, and the images of {dataset.Source} are {dataset.Shape}; pass a larger --image-size");
            if (!dataset.Train.IsLabelled && options.FeaturesFile is null)
                throw new UsageException($"generate: the images of {dataset.Source} have no labels to train the feature network on; pass --features FILE, the feature network of a labelled run on {dataset.Shape} images (a .safetensors file in its --cache folder)");
            // Hours of training must not end by silently replacing an earlier experiment's files; with
            // --overwrite every grid an earlier experiment may have drawn goes too, so two runs never mix.
            using var held = continuing ? RunLock.Take(folder) : RunFolder.Claim(folder, parse.GetValue(overwrite), canResume: true, resumeWith: folder);
            if (continuing) RunFolder.RemoveLeftovers(folder);
            if (parse.GetValue(overwrite) || continuing)
                foreach (var name in GenerationExperiment.Candidates(options).Select(cand => Slug(cand.Name) + ".png").Concat(["real-train-images.png", "uniform-noise.png", "table.txt"]))
                    File.Delete(Path.Combine(folder, name));
            var c = CultureInfo.InvariantCulture;
            context.Line(string.Format(c, "generation on {0}: GANs {1} epochs (z {2}, f {3}, batch {4}, Adam lr {5} β1 {6}), VAEs {7} epochs, seed {8}, {9} thread(s)",
                dataset.Source, options.Gan.Epochs, options.Gan.Shape.LatentSize, options.Gan.Shape.Features, options.Gan.BatchSize,
                options.Gan.LearningRate, options.Gan.Beta1, options.VaeEpochs, s, Kernels.CpuThreads.Count));

            GenerationResult result;
            try
            {
                result = GenerationExperiment.Run(dataset, parse.GetValue(cache)!, options, candidates, log: context.Line);
            }
            catch (TrainedTooFarException tooFar)
            {
                // The experiment names the recipe; the command line names the flag that sets it.
                string flag = tooFar.Family == "VAE" ? "--vae-epochs" : "--epochs";
                throw new ArgumentException($"{tooFar.Message[..tooFar.Message.LastIndexOf(';')]}; pass {flag} {tooFar.Done} to reuse it");
            }
            var net = result.FeatureNetwork;
            context.Line(string.Format(c, "feature network: {0} ({1}), test accuracy {2:F2}% on {3} images",
                net.Path, net.FromCache ? "cached" : $"trained in {net.TrainingTime.TotalSeconds:F0} s", 100 * net.TestAccuracy, dataset.Test.Count));
            context.Line();
            context.Line($"{result.SampleCount} samples per model against {result.SampleCount} test images (precision and recall k = 3, density and coverage k = 5):");
            context.Output.Write(GenerationTable.Format(result));

            Directory.CreateDirectory(folder);
            foreach (var row in result.Rows)
                PngEncoder.Write(Path.Combine(folder, Slug(row.Model) + ".png"), GenerationReport.Grid(row, result.Image));
            Models.Files.AtomicFile.WriteAllText(Path.Combine(folder, "table.txt"), GenerationTable.Format(result));
            string report = Path.Combine(folder, "report.html");
            GenerationReport.Write(report, $"Generation on {dataset.Source} ({dataset.Shape}): VAE, DCGAN and VAE-GAN by precision, recall and FID",
                "scratch generate " + string.Join(" ", parse.Tokens.Skip(1).Select(t => t.Value)), result);
            context.Line($"wrote {report}, table.txt and one sample grid per row under {folder}");
            context.Line(string.Format(c, "total time {0:F1} s", result.Elapsed.TotalSeconds));
            return 0;
        });
        return command;
    }

    private static bool SameFolder(string a, string b) =>
        Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar);

    /// <summary>"VAE-GAN" → "vae-gan", "(real train images)" → "real-train-images": a file name.</summary>
    public static string Slug(string name) =>
        string.Join("-", new string(name.ToLowerInvariant().Select(ch => char.IsLetterOrDigit(ch) ? ch : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
