using System.Text.Json.Nodes;
using System.Diagnostics;
using System.Globalization;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Experiments.Metrics;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Generation;

/// <summary>A checkpoint to continue has trained more epochs than asked for: its table row would claim fewer than it trained.</summary>
public sealed class TrainedTooFarException(string path, int done, int target, string family)
    : ArgumentException($"{path}: has trained {done} epochs, more than the {target} {family} epochs asked for; ask for {done} to reuse it")
{
    /// <summary>The epochs the checkpoint has trained.</summary>
    public int Done { get; } = done;
    /// <summary>"VAE" or "GAN": which recipe's epoch count was too small.</summary>
    public string Family { get; } = family;
}

/// <summary>The sizes of one generation experiment. <see cref="Quick"/> is the size for tests and CI.</summary>
public sealed record GenerationOptions
{
    public GanRecipe Gan { get; init; } = new();
    /// <summary>Epochs of the VAEs (Adam 1e-3, batch 128: the family's recipe).</summary>
    public int VaeEpochs { get; init; } = 10;
    /// <summary>Images sampled from each model and compared with as many real test images (0 = the whole test split).</summary>
    public int Samples { get; init; }
    public ClassifierRecipe Classifier { get; init; } = new();
    public ulong Seed { get; init; } = 1;
    /// <summary>Folder where each GAN's checkpoint (<see cref="GenerationExperiment.CheckpointFile"/>) is written after every epoch; null: none.</summary>
    public string? CheckpointFolder { get; init; }
    /// <summary>Folder whose GAN checkpoints are continued to the recipe's epochs, or reused when they have them all; null: train from the start.</summary>
    public string? ResumeFolder { get; init; }
    /// <summary>A feature network file to score with instead of training one on the data's labels (for an unlabelled set); null: train or reuse the cached one.</summary>
    public string? FeaturesFile { get; init; }

    /// <summary>Minutes-scale to seconds-scale: 1 epoch on 512 digits, half-width networks, 256 samples.</summary>
    public static GenerationOptions Quick(ulong seed = 1) => new()
    {
        Gan = new GanRecipe { Epochs = 1, TrainLimit = 512, Shape = new GanShape(LatentSize: 32, Features: 16), Seed = seed },
        VaeEpochs = 1,
        Samples = 256,
        Classifier = new ClassifierRecipe { Epochs = 1, Channels1 = 8, Channels2 = 16, Hidden = 64, Seed = seed },
        Seed = seed,
    };
}

/// <summary>One row of the generation table: a model (or a sanity check) scored against the real test images.</summary>
public sealed record GenerationRow(string Model, ManifoldScores Scores, double Fid, TimeSpan TrainingTime, bool IsSanityCheck,
    float[] Samples, IReadOnlyList<(string Name, double[] Values)> LossCurves);

/// <summary>Everything the table and the report show; every row's samples are images of <paramref name="Image"/>.</summary>
public sealed record GenerationResult(IReadOnlyList<GenerationRow> Rows, FeatureNetwork FeatureNetwork, int SampleCount, TimeSpan Elapsed, ImageShape Image);

/// <summary>
/// The generation experiment of the references: a VAE, a DCGAN and a VAE-GAN each trained on the
/// training images, N images sampled from each, and each sample set compared with N real test
/// images in the feature space of the engine's own classifier by precision, recall (k = 3),
/// density, coverage (k = 5) and FID — with two sanity rows that bracket the scale: real training images (FID near its
/// floor, precision and recall near 1) and uniform noise (FID huge, precision near 0). Every
/// network is sized for the data's C×H×W (<see cref="Scratch.Models.Nn.ConvStages"/>).
/// </summary>
public static class GenerationExperiment
{
    /// <summary>A model the experiment can train and sample: its name and how to run it.</summary>
    public sealed record Candidate(string Key, string Name, Func<ImageDataset, Action<string>?, TrainedGenerator> Train);

    /// <summary>A trained generator: how to draw digits, and its loss curves (one value per step or epoch).</summary>
    public sealed record TrainedGenerator(Func<int, Rng, Tensor> Sample, IReadOnlyList<(string Name, double[] Values)> LossCurves);

    public static IReadOnlyList<Candidate> Candidates(GenerationOptions options) =>
    [
        new("vae-conv", "VAE (conv)", (data, log) => TrainVae(data, Architecture.Conv, options, log)),
        new("vae-mlp", "VAE (MLP)", (data, log) => TrainVae(data, Architecture.Mlp, options, log)),
        new("dcgan", "DCGAN", (data, log) => TrainDcgan(data, options, log)),
        new("vae-gan", "VAE-GAN", (data, log) => TrainVaeGan(data, options, log)),
    ];

    public static GenerationResult Run(ImageDataset data, string cacheFolder, GenerationOptions options,
        IEnumerable<Candidate>? candidates = null, Action<string>? log = null)
    {
        var total = Stopwatch.StartNew();
        var features = options.FeaturesFile is { } file
            ? FeatureNetworkCache.LoadFile(file, data.Shape)
            : FeatureNetworkCache.LoadOrTrain(cacheFolder, data.Fingerprint, data.Train, data.Test, options.Classifier, log);
        int n = options.Samples <= 0 ? data.Test.Count : Math.Min(options.Samples, Math.Min(data.Test.Count, data.Train.Count));
        var real = features.Classifier.Embed(data.Test.ToFloats(0, n), n);
        var rows = new List<GenerationRow>
        {
            Score("real train images", features, real, data.Train.ToFloats(0, n), n, TimeSpan.Zero, sanity: true, []),
            Score("uniform noise", features, real, UniformNoise(n, data.Shape.Pixels, options.Seed), n, TimeSpan.Zero, sanity: true, []),
        };
        foreach (var candidate in candidates ?? Candidates(options))
        {
            log?.Invoke($"training {candidate.Name}");
            var clock = Stopwatch.StartNew();
            var trained = candidate.Train(data, log);
            clock.Stop();
            var images = trained.Sample(n, new Rng(options.Seed * 31 + 7)).To(DType.Float32).ToArray<float>();
            // A generator whose samples are not finite has diverged: no FID or picture is made of NaN.
            if (Array.FindIndex(images, v => !float.IsFinite(v)) is var bad and >= 0)
                throw new ArgumentException($"{candidate.Name}: sample {bad / (images.Length / n)} holds {images[bad]}; the generator's outputs are not finite, so it is not scored");
            rows.Add(Score(candidate.Name, features, real, images, n, clock.Elapsed, sanity: false, trained.LossCurves));
        }
        return new GenerationResult(rows, features, n, total.Elapsed, data.Shape);
    }

    private static GenerationRow Score(string name, FeatureNetwork net, FeatureSet real, float[] images, int n, TimeSpan time, bool sanity,
        IReadOnlyList<(string, double[])> curves)
    {
        var fake = net.Classifier.Embed(images, n);
        return new GenerationRow(name, ManifoldMetrics.Compute(real, fake), Fid.Compute(real, fake), time, sanity, images, curves);
    }

    private static float[] UniformNoise(int n, int pixels, ulong seed) =>
        Tensor.Uniform([n, pixels], 0, 1, new Rng(seed ^ 0xA015EUL)).ToArray<float>();

    // The family's VAE (P-400-20, or the convolutional one of ConvNetworks), trained by its own Trainer.
    private static TrainedGenerator TrainVae(ImageDataset data, Architecture architecture, GenerationOptions options, Action<string>? log)
    {
        var config = new AutoencoderConfig { Architecture = architecture, InputSize = data.Shape.Pixels, Image = data.Shape };
        var spec = new ModelSpec { Kind = "vae", Config = config };
        var model = (VariationalAutoencoder)ModelFactory.Create(spec, new Rng(options.Seed));
        var trainOptions = new TrainOptions { Epochs = options.VaeEpochs, Seed = options.Seed, TrainLimit = options.Gan.TrainLimit };
        string key = architecture == Architecture.Conv ? "vae-conv" : "vae-mlp";
        var trainer = ResumeVae(key, model, trainOptions, options, log)
                      ?? new Trainer(model, new Adam(model.Parameters(), trainOptions.LearningRate), trainOptions);
        string? path = options.CheckpointFolder is { } folder ? Path.Combine(folder, CheckpointFile(key)) : null;
        if (path is not null) Directory.CreateDirectory(options.CheckpointFolder!);
        trainer.Fit(data, onEpoch: e =>
        {
            log?.Invoke($"  epoch {e.Epoch}: train {e.TrainLoss:F2}, test {e.TestLoss:F2}");
            if (path is not null) ModelCheckpoint.Save(path, trainer);
        });
        if (path is not null && !File.Exists(path)) ModelCheckpoint.Save(path, trainer);
        model = (VariationalAutoencoder)trainer.Model;
        return new TrainedGenerator(model.Sample, [("train loss", trainer.History.Select(h => h.TrainLoss).ToArray()), ("test loss", trainer.History.Select(h => h.TestLoss).ToArray())]);
    }

    // The VAE's checkpoint in the resume folder (the autoencoders' own format, ModelCheckpoint) as a
    // trainer that continues it, when its model and recipe are this run's but for the epoch count.
    private static Trainer? ResumeVae(string key, VariationalAutoencoder model, TrainOptions trainOptions, GenerationOptions options, Action<string>? log)
    {
        if (options.ResumeFolder is not { } from) return null;
        string saved = Path.Combine(from, CheckpointFile(key));
        if (!File.Exists(saved))
        {
            log?.Invoke($"  no {CheckpointFile(key)} in {from}: training {key} from the start");
            return null;
        }
        var loaded = ModelCheckpoint.Load(saved);
        if (RecipeDifference(loaded, model, trainOptions) is { } difference)
            throw new CheckpointFormatException(saved, difference);
        Continuing(saved, loaded.EpochsDone, trainOptions.Epochs, "VAE", log);
        return ModelCheckpoint.Resume(loaded, trainOptions);
    }

    // Null when `loaded` holds the run that `model` and `options` describe, up to the target epoch
    // count (so it can be continued); otherwise a sentence saying what it holds instead.
    private static string? RecipeDifference(LoadedModel loaded, Autoencoder model, TrainOptions options)
    {
        var (want, have) = (AutoencoderRecipe.Spec(ModelCheckpoint.SpecOf(model)), AutoencoderRecipe.Spec(loaded.Spec));
        var (wantRecipe, haveRecipe) = (AutoencoderRecipe.Options(options), AutoencoderRecipe.Options(loaded.Options));
        wantRecipe.Remove("epochs");
        haveRecipe.Remove("epochs");
        return JsonNode.DeepEquals(want, have) && JsonNode.DeepEquals(wantRecipe, haveRecipe)
            ? null
            : $"holds a {loaded.Spec.Kind} {loaded.Spec.Config.Describe()} trained with {haveRecipe.ToJsonString()}, " +
              $"not this run's {model.Kind} {model.Config.Describe()} with {wantRecipe.ToJsonString()}";
    }

    // A checkpoint continues to the asked epochs, or is reused when it has them; one with more is refused
    // (its table row would claim fewer epochs than it trained).
    private static void Continuing(string saved, int done, int target, string family, Action<string>? log)
    {
        if (done > target)
            throw new TrainedTooFarException(saved, done, target, family);
        log?.Invoke(done == target ? $"  reusing {saved}: it has trained all {done} epochs" : $"  resuming {saved} after epoch {done} of {target}");
    }

    /// <summary>Every model's key, hence every checkpoint a run folder may hold.</summary>
    public static readonly IReadOnlyList<string> ModelKeys = ["vae-conv", "vae-mlp", "dcgan", "vae-gan"];

    /// <summary>The checkpoint of the model <paramref name="key"/> ("vae-conv", "dcgan", "vae-gan") in a run folder.</summary>
    public static string CheckpointFile(string key) => key + ".checkpoint.scratch";

    private static TrainedGenerator TrainDcgan(ImageDataset data, GenerationOptions options, Action<string>? log)
    {
        var trainer = new DcganTrainer(GanRecipeFor(data, options), options.Gan.TrainingDigits(data));
        FitWithCheckpoints("dcgan", trainer, options, log);
        return new TrainedGenerator(trainer.Generator.Sample, Curves(trainer.Steps));
    }

    private static TrainedGenerator TrainVaeGan(ImageDataset data, GenerationOptions options, Action<string>? log)
    {
        var trainer = new VaeGanTrainer(GanRecipeFor(data, options), options.Gan.TrainingDigits(data));
        FitWithCheckpoints("vae-gan", trainer, options, log);
        return new TrainedGenerator(trainer.Sample, Curves(trainer.Steps));
    }

    // The options' GAN recipe with networks sized for the data's images.
    private static GanRecipe GanRecipeFor(ImageDataset data, GenerationOptions options) =>
        options.Gan with { Shape = options.Gan.Shape with { Image = data.Shape } };

    // Continues the GAN from its checkpoint in the resume folder when there is one, trains it to the
    // recipe's epochs, and writes its checkpoint after every epoch (so a killed run loses one epoch at most).
    private static void FitWithCheckpoints(string key, GanTrainer trainer, GenerationOptions options, Action<string>? log)
    {
        if (options.ResumeFolder is { } from)
        {
            string saved = Path.Combine(from, CheckpointFile(key));
            if (!File.Exists(saved)) log?.Invoke($"  no {CheckpointFile(key)} in {from}: training {key} from the start");
            else
            {
                GanCheckpoint.Restore(saved, trainer);
                Continuing(saved, trainer.Loop.EpochsDone, options.Gan.Epochs, "GAN", log);
            }
        }
        string? path = options.CheckpointFolder is { } folder ? Path.Combine(folder, CheckpointFile(key)) : null;
        if (path is not null) Directory.CreateDirectory(options.CheckpointFolder!);
        trainer.Fit(onEpoch: e =>
        {
            log?.Invoke($"  epoch {e.Epoch}: {Terms(e.TrainTerms)}");
            if (path is not null) GanCheckpoint.Save(path, trainer);
        });
        // A reused run trains no epoch, so its checkpoint is copied into a new folder here.
        if (path is not null && !File.Exists(path)) GanCheckpoint.Save(path, trainer);
    }

    private static string Terms(IReadOnlyList<(string Name, double Value)> terms) =>
        string.Join(", ", terms.Select(t => $"{t.Name} {t.Value.ToString("F3", CultureInfo.InvariantCulture)}"));

    /// <summary>Per-step losses → one curve per term.</summary>
    public static IReadOnlyList<(string Name, double[] Values)> Curves(IReadOnlyList<StepLosses> steps)
    {
        if (steps.Count == 0) return [];
        return steps[0].Terms.Select((t, i) => (t.Name, steps.Select(s => s.Terms[i].Value).ToArray())).ToList();
    }
}
