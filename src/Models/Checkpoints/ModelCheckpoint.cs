using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Training;

namespace Scratch.Models.Checkpoints;

/// <summary>An autoencoder checkpoint read back: the recipe and a trainer holding the restored model, optimizer, RNG and loop (on the CPU).</summary>
public sealed record LoadedModel(string Path, ModelSpec Spec, TrainOptions Options, Trainer Trainer)
{
    /// <summary>The restored model.</summary>
    public Autoencoder Model => Trainer.Model;
    /// <summary>Epochs the saved run had trained.</summary>
    public int EpochsDone => Trainer.EpochsDone;
    /// <summary>The saved run's history.</summary>
    public IReadOnlyList<EpochResult> History => Trainer.History;
    /// <summary>Optimizer steps the saved run had taken.</summary>
    public int OptimizerSteps => Trainer.Optimizer.StepCount;
}

/// <summary>
/// An autoencoder's run as a <see cref="TrainingState"/>: the model's state_dict under PyTorch's
/// names ("encoder.0.weight", buffers such as "encoder.2.running_mean"), its optimizer's state under
/// "optimizer." ("optimizer.m.0"), the trainer's RNG as the stream "trainer", the loop, and the
/// recipe <c>{ "model": …, "training": … }</c> (<see cref="AutoencoderRecipe"/>). On the CPU with the
/// same thread count, a run resumed from a checkpoint produces bitwise the losses of the run that
/// was never interrupted (docs/checkpoint-format.md).
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>The checkpoint's name in a run folder.</summary>
    public const string FileName = "checkpoint.scratch";
    /// <summary>The state's content.</summary>
    public const string Content = "scratch-autoencoder";
    private const double AllocationSlack = 16 * 1024 * 1024;

    /// <summary>The trainer's run as a training state: what <see cref="Save"/> writes and <see cref="Load"/> restores.</summary>
    public static TrainingState State(Trainer trainer)
    {
        var recipe = new JsonObject { ["model"] = AutoencoderRecipe.Spec(SpecOf(trainer.Model)), ["training"] = AutoencoderRecipe.Options(trainer.Options) };
        var state = new TrainingState(Content, recipe) { Loop = trainer.Loop };
        state.Modules.Add(("", trainer.Model));
        state.Optimizers.Add(("", trainer.Optimizer));
        state.Rngs.Add(("trainer", trainer.Rng));
        return state;
    }

    /// <summary>Writes the trainer's run to <paramref name="path"/> (crash-safe).</summary>
    public static void Save(string path, Trainer trainer) => State(trainer).Save(path);

    /// <summary>The loss history as JSON records (non-finite values as null): what a checkpoint stores.</summary>
    public static JsonArray HistoryJson(IEnumerable<EpochResult> history) => RunJson.History(history);

    /// <summary>
    /// Reads a checkpoint and rebuilds its run on the CPU: model, optimizer, RNG and loop. A file that
    /// is malformed, or whose recipe does not match its tensors, gives a <see cref="CheckpointFormatException"/>.
    /// </summary>
    public static LoadedModel Load(string path)
    {
        var file = TrainingState.Read(path, Content);
        var read = file.Reader;
        var spec = AutoencoderRecipe.ReadSpec(read, read.Object(file.Recipe, "model", "recipe"));
        var options = AutoencoderRecipe.ReadOptions(read, read.Object(file.Recipe, "training", "recipe"));
        if (options.Epochs < file.EpochsDone)
            throw read.Fail($"metadata field 'recipe.training.epochs' is {options.Epochs} but the run has trained {file.EpochsDone} epochs");

        // The sizes come from the file: a corrupted "hidden": [100000, 100000] would make the
        // factory allocate gigabytes. Refuse a configuration far larger than the tensors really
        // held; a small mismatch is left to the per-tensor checks, whose messages are exact.
        double stored = file.Tensors.Where(t => !t.Name.StartsWith("optimizer.", StringComparison.Ordinal)).Sum(t => (double)t.Tensor.Numel);
        double needed = ParameterCount(spec);
        if (needed > stored + AllocationSlack)
            throw read.Fail($"its {spec.Kind} {spec.Config.Describe()} configuration needs {needed:0} parameters but the file's tensors hold {stored:0} values");

        Autoencoder model;
        try
        {
            // The initial weights drawn here are all overwritten; the seed only has to be valid.
            model = ModelFactory.Create(spec, new Rng(options.Seed));
        }
        catch (ArgumentException e)
        {
            throw read.Fail($"its model configuration cannot be built: {e.Message}");
        }
        var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.TrainableParameters()), options);
        State(trainer).Restore(file);
        return new LoadedModel(path, spec, options, trainer);
    }

    /// <summary>
    /// A trainer that continues the saved run on <paramref name="options"/> (default: the saved
    /// recipe), which may change the target epoch count and the device; changing the batch size,
    /// learning rate or seed makes a different run, which is allowed but no longer reproduces.
    /// </summary>
    public static Trainer Resume(LoadedModel loaded, TrainOptions? options = null)
    {
        var opts = options ?? loaded.Options;
        var saved = loaded.Trainer;
        loaded.Model.To(opts.Device);
        var optimizer = Optimization.CreateOptimizer(opts, loaded.Model.TrainableParameters());
        try
        {
            optimizer.LoadState(saved.Optimizer.State().ToDictionary(s => s.Name, s => s.State), saved.Optimizer.StepCount);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(loaded.Path, $"its optimizer state does not fit {opts.Optimizer}: {e.Message}");
        }
        var trainer = new Trainer(loaded.Model, optimizer, opts) { EpochsDone = saved.EpochsDone };
        trainer.Rng.State = saved.Rng.State;
        trainer.History.AddRange(saved.History);
        return trainer;
    }

    /// <summary>The settings that rebuild <paramref name="model"/> through <see cref="ModelFactory"/>.</summary>
    public static ModelSpec SpecOf(Autoencoder model)
    {
        var spec = new ModelSpec { Kind = model.Kind, Config = model.Config };
        return model switch
        {
            SparseAutoencoder { Penalty: SparsityPenalty.KlDivergence kl } => spec with { SparsityRho = kl.Rho, SparsityBeta = kl.Beta, SparsityL1 = 0 },
            SparseAutoencoder { Penalty: SparsityPenalty.L1 l1 } => spec with { SparsityL1 = l1.Lambda },
            DenoisingAutoencoder { Corruption: Corruption.Gaussian g } => spec with { NoiseSigma = g.Sigma, NoiseClip = g.Clip, MaskFraction = 0 },
            DenoisingAutoencoder { Corruption: Corruption.Masking m } => spec with { MaskFraction = m.Fraction },
            AutoencodingVae avae => spec with { Beta = avae.Beta, WarmupEpochs = avae.WarmupEpochs, Rho = avae.Rho, PostProcessing = avae.PostProcessing },
            VariationalAutoencoder vae => spec with { Beta = vae.Beta, WarmupEpochs = vae.WarmupEpochs },
            ContractiveAutoencoder cae => spec with { ContractiveLambda = cae.Lambda },
            _ => spec,
        };
    }

    // Weights and biases of the encoder (to a code of 2·latent for the VAE's μ and log σ²) and the
    // decoder; 0 for sizes the factory will refuse anyway. A double: a corrupt header may overflow a long.
    private static double ParameterCount(ModelSpec spec)
    {
        var c = spec.Config;
        if (c.InputSize <= 0 || c.LatentSize <= 0 || c.HiddenSizes.Any(h => h <= 0)) return 0;
        if (c.Architecture == Architecture.Conv)
        {
            try
            {
                return ConvNetworks.StateSize(c.Stages(), ModelSpec.IsVariational(spec.Kind) ? 2 * c.LatentSize : c.LatentSize, c.LatentSize);
            }
            catch (ArgumentException) { return 0; }   // the factory refuses it, in its own words
        }
        static double Mlp(int[] sizes) => Enumerable.Range(0, sizes.Length - 1).Sum(i => ((double)sizes[i] + 1) * sizes[i + 1]);
        return Mlp(c.EncoderSizes(ModelSpec.IsVariational(spec.Kind) ? 2 * c.LatentSize : c.LatentSize)) + Mlp(c.DecoderSizes());
    }
}
