using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Checkpoints;

/// <summary>A model checkpoint read back: the rebuilt model and what a resumed run needs.</summary>
public sealed record LoadedModel(
    string Path,
    ModelSpec Spec,
    TrainOptions Options,
    Autoencoder Model,
    int EpochsDone,
    RngState TrainerRng,
    IReadOnlyList<EpochResult> History,
    int OptimizerSteps,
    IReadOnlyDictionary<string, Tensor> OptimizerState);

/// <summary>
/// Saves and restores a whole training run — model, Adam moments, recipe, RNG, loss history — in
/// one checkpoint file (format: docs/checkpoint-format.md). Tensors are stored under the model's
/// <c>NamedState()</c> names ("encoder.0.weight", buffers such as "encoder.2.running_mean") and the optimizer's under "optimizer." +
/// its state name ("optimizer.m.0"). On the CPU with the same thread count, a run resumed from a
/// checkpoint produces bitwise the losses of the run that was never interrupted: the batch order
/// depends only on (seed, epoch), evaluation has its own RNG, and everything else is restored here.
/// </summary>
/// <remarks>
/// The metadata (the header's "metadata" object) of a model checkpoint:
/// <code>
/// { "content": "scratch-autoencoder",
///   "model":    { "kind": "vae", "input": 784, "hidden": [400], "latent": 20, "activation": "relu",
///                 "loss": "bce", "dtype": "float32", "arch": "mlp", "beta": 1, "warmupEpochs": 0, "sparsityRho": 0.05,
///                 "sparsityBeta": 1, "sparsityL1": 0, "noiseSigma": 0.3, "maskFraction": 0, "contractiveLambda": 0.0001 },
///   "training": { "epochs": 10, "batch": 128, "learningRate": 0.001, "seed": "1", "trainLimit": 0, "testLimit": 0 },
///   "epochsDone": 3,
///   "rng":      { "s0": "…", "s1": "…", "s2": "…", "s3": "…", "hasSpare": true, "spareBits": "…" },
///   "optimizer": { "kind": "adam", "steps": 189 },
///   "history":  [ { "epoch": 1, "trainLoss": 164.2, "trainTerms": { "reconstruction": 150.1, "kl": 14.1 },
///                   "testLoss": …, "testTerms": { … }, "seconds": 2.1, "samplesPerSecond": 3807 }, … ] }
/// </code>
/// 64-bit integers are decimal strings (JSON numbers lose bits past 2^53); a non-finite loss is null.
/// </remarks>
public static class ModelCheckpoint
{
    public const string FileName = "checkpoint.scratch";
    private const string OptimizerPrefix = "optimizer.";
    private const double AllocationSlack = 16 * 1024 * 1024;
    // The Adam a resumed run uses (Resume below): its defaults, torch's.
    private const double AdamBeta1 = 0.9, AdamBeta2 = 0.999;

    /// <summary>Writes the trainer's state to <paramref name="path"/> (crash-safe: written through <see cref="Files.AtomicFile"/>).</summary>
    public static void Save(string path, Trainer trainer) =>
        Write(path, trainer.Model, trainer.Options, trainer.EpochsDone, trainer.Rng.State, trainer.Optimizer, trainer.History);

    /// <summary>The loss history as JSON records (non-finite values as null): what a checkpoint stores.</summary>
    public static JsonArray HistoryJson(IEnumerable<EpochResult> history) => ModelCheckpointMetadata.History(history);

    private static void Write(string path, Autoencoder model, TrainOptions options, int epochsDone, RngState rng, Optimizer optimizer, IEnumerable<EpochResult> history)
    {
        var spec = SpecOf(model);
        var metadata = new JsonObject
        {
            ["content"] = ModelCheckpointMetadata.Content,
            ["model"] = ModelCheckpointMetadata.Spec(spec),
            ["training"] = ModelCheckpointMetadata.Options(options),
            ["epochsDone"] = epochsDone,
            ["rng"] = ModelCheckpointMetadata.Rng(rng),
            ["optimizer"] = new JsonObject { ["kind"] = optimizer.GetType().Name.ToLowerInvariant(), ["steps"] = optimizer.StepCount },
            ["history"] = ModelCheckpointMetadata.History(history),
        };
        // A safetensors file: the model's state_dict under PyTorch's names, Adam's moments under
        // "optimizer.", and the training state as one JSON string in __metadata__.
        var tensors = model.NamedState().Concat(optimizer.State().Select(s => (OptimizerPrefix + s.Name, s.State)));
        Safetensors.Save(path, tensors, new Dictionary<string, string>
        {
            [MetadataKey] = metadata.ToJsonString(),
            [VersionKey] = FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The __metadata__ key holding the training state (the JSON object described above, as a string).</summary>
    public const string MetadataKey = "scratch.checkpoint";
    public const string VersionKey = "scratch.format_version";
    /// <summary>2: safetensors. 1 was the scratch-checkpoint format, which only the command line's convert still reads.</summary>
    public const int FormatVersion = 2;

    /// <summary>
    /// The training state (the JSON object described above) and the arrays of a checkpoint,
    /// checked as a file but not yet as a model: for tools and tests that edit checkpoints.
    /// </summary>
    public static (JsonObject Metadata, IReadOnlyList<NamedArray> Arrays) ReadParts(string path)
    {
        if (Directory.Exists(path)) throw new CheckpointFormatException(path, "is a folder, not a checkpoint file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        if (!Safetensors.IsSafetensors(path)) throw new OldCheckpointFormatException(path);
        var (strings, arrays) = Safetensors.ReadArrays(path);
        if (!strings.TryGetValue(MetadataKey, out var json))
            throw new CheckpointFormatException(path, $"is a safetensors file without Scratch's training state (no __metadata__['{MetadataKey}']); load its weights with Safetensors.Load and Module.LoadStateDict");
        try
        {
            return (JsonNode.Parse(json) as JsonObject ?? throw new System.Text.Json.JsonException("not an object"), arrays);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CheckpointFormatException(path, $"__metadata__['{MetadataKey}'] is not a JSON object ({e.Message})", e);
        }
    }

    /// <summary>Writes a checkpoint from its parts, as <see cref="Save"/> lays it out (the inverse of <see cref="ReadParts"/>).</summary>
    public static void WriteParts(string path, JsonObject metadata, IEnumerable<NamedArray> arrays) =>
        Safetensors.Save(path, arrays.Select(a => (a.Name, a.Float32 is { } f ? Tensor.FromArray(f, a.Shape) : Tensor.FromArray(a.Float64!, a.Shape))),
            new Dictionary<string, string>
            {
                [MetadataKey] = metadata.ToJsonString(),
                [VersionKey] = FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

    /// <summary>
    /// Reads a checkpoint and rebuilds its model on the CPU. A file that is malformed, or whose
    /// configuration does not match its tensors, gives a <see cref="CheckpointFormatException"/>.
    /// </summary>
    public static LoadedModel Load(string path)
    {
        var (meta, fileArrays) = ReadParts(path);
        var byName = fileArrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var read = new ModelCheckpointMetadata.Reader(path);
        if (!meta.TryGetPropertyValue("content", out var content) || content?.GetValueKind() != System.Text.Json.JsonValueKind.String
            || content.GetValue<string>() != ModelCheckpointMetadata.Content)
            throw read.Fail($"is not an autoencoder checkpoint (metadata field 'content' should be '{ModelCheckpointMetadata.Content}')");

        var spec = read.Spec(read.Object(meta, "model", "metadata"));
        var options = read.Options(read.Object(meta, "training", "metadata"));
        int epochsDone = read.Int(meta, "epochsDone", "metadata");
        if (epochsDone < 0) throw read.Fail($"metadata field 'metadata.epochsDone' is {epochsDone}, expected ≥ 0");
        var rng = read.Rng(read.Object(meta, "rng", "metadata"));
        var optimizer = read.Object(meta, "optimizer", "metadata");
        int steps = read.Int(optimizer, "steps", "optimizer");
        if (steps < 0) throw read.Fail($"metadata field 'optimizer.steps' is {steps}, expected ≥ 0");
        var history = read.History(read.Array(meta, "history", "metadata"));

        // The sizes come from the file: a corrupted "hidden": [100000, 100000] would make the
        // factory allocate gigabytes. Refuse a configuration far larger than the tensors really
        // held; a small mismatch is left to the per-tensor checks below, whose messages are exact.
        double stored = fileArrays.Where(a => !a.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).Sum(a => (double)a.Length);
        double needed = ParameterCount(spec);
        if (needed > stored + AllocationSlack)
            throw read.Fail($"its {spec.Kind} {spec.Config.Describe()} configuration needs {needed:0} parameters but the file's tensors hold {stored:0} values");

        Autoencoder model;
        try
        {
            // The initial weights drawn here are all overwritten below; the seed only has to be valid.
            model = ModelFactory.Create(spec, new Rng(options.Seed));
        }
        catch (ArgumentException e)
        {
            throw read.Fail($"its model configuration cannot be built: {e.Message}");
        }

        var parameters = model.NamedParameters().ToList();
        var state = model.NamedState().ToList();   // parameters, then buffers (BatchNorm's running statistics)
        var expected = state.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var array in fileArrays)
        {
            if (!array.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && !expected.Contains(array.Name))
                throw read.Fail($"holds tensor '{array.Name}', which a {spec.Kind} {spec.Config.Describe()} model does not have");
        }
        foreach (var (name, value) in state)
        {
            if (!byName.TryGetValue(name, out var array))
                throw read.Fail($"has no tensor '{name}', which its {spec.Kind} {spec.Config.Describe()} model needs");
            value.CopyFrom(FromArray(read, array, value, $"tensor '{name}'"));
        }

        // Adam's state has one m and one v per parameter (SGD with momentum one "momentum"), shaped
        // like it; checked here so a resume fails at load time with the file named, not later inside the optimizer.
        bool adamFamily = options.Optimizer is "adam" or "adamw";
        string[] kinds = adamFamily ? ["m", "v"] : ["momentum"];
        var optimizerState = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var array in fileArrays.Where(a => a.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))
        {
            string stateName = array.Name[OptimizerPrefix.Length..];
            var like = StateShapeOwner(read, stateName, parameters, kinds);
            optimizerState[stateName] = FromArray(read, array, like, $"optimizer state '{stateName}'");
        }
        if (optimizerState.Count > 0)
        {
            var missing = parameters.SelectMany((_, i) => kinds.Select(k => $"{k}.{i}")).FirstOrDefault(n => !optimizerState.ContainsKey(n));
            if (missing is not null)
                throw read.Fail($"has optimizer state for some parameters but not '{OptimizerPrefix}{missing}'");
            for (int i = 0; i < parameters.Count && adamFamily; i++)
                CheckpointSanity.RequireAdamMoments(read, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    optimizerState[$"m.{i}"], optimizerState[$"v.{i}"], AdamBeta1, AdamBeta2);
        }
        return new LoadedModel(path, spec, options, model, epochsDone, rng, history, steps, optimizerState);
    }

    /// <summary>
    /// A trainer that continues the saved run: Adam with the saved moments and step count, the
    /// saved RNG state, epochs done and history. <paramref name="options"/> (default: the saved
    /// recipe) may change the target epoch count and the device; changing the batch size,
    /// learning rate or seed makes a different run, which is allowed but no longer reproduces.
    /// </summary>
    public static Trainer Resume(LoadedModel loaded, TrainOptions? options = null)
    {
        var opts = options ?? loaded.Options;
        loaded.Model.To(opts.Device);
        // The saved optimizer (Adam's betas are the defaults, AdamBeta1/2), with its state and step count.
        var optimizer = Optimization.CreateOptimizer(opts, loaded.Model.Parameters());
        if (loaded.OptimizerState.Count > 0 || loaded.OptimizerSteps > 0)
        {
            try
            {
                optimizer.LoadState(loaded.OptimizerState, loaded.OptimizerSteps);
            }
            catch (ArgumentException e)
            {
                throw new CheckpointFormatException(loaded.Path, $"its optimizer state does not fit {opts.Optimizer}: {e.Message}");
            }
        }
        var trainer = new Trainer(loaded.Model, optimizer, opts) { EpochsDone = loaded.EpochsDone };
        trainer.Rng.State = loaded.TrainerRng;
        trainer.History.AddRange(loaded.History);
        return trainer;
    }

    /// <summary>
    /// Null when <paramref name="loaded"/> holds the run that <paramref name="model"/> and
    /// <paramref name="options"/> describe, up to the target epoch count (so it can be continued);
    /// otherwise a sentence saying what it holds instead.
    /// </summary>
    public static string? RecipeDifference(LoadedModel loaded, Autoencoder model, TrainOptions options)
    {
        var (want, have) = (ModelCheckpointMetadata.Spec(SpecOf(model)), ModelCheckpointMetadata.Spec(loaded.Spec));
        var (wantRecipe, haveRecipe) = (ModelCheckpointMetadata.Options(options), ModelCheckpointMetadata.Options(loaded.Options));
        wantRecipe.Remove("epochs");
        haveRecipe.Remove("epochs");
        return JsonNode.DeepEquals(want, have) && JsonNode.DeepEquals(wantRecipe, haveRecipe)
            ? null
            : $"holds a {loaded.Spec.Kind} {loaded.Spec.Config.Describe()} trained with {haveRecipe.ToJsonString()}, " +
              $"not this run's {model.Kind} {model.Config.Describe()} with {wantRecipe.ToJsonString()}";
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
            return ConvNetworks.StateSize(spec.Kind == "vae" ? 2 * c.LatentSize : c.LatentSize, c.LatentSize);
        static double Mlp(int[] sizes) => Enumerable.Range(0, sizes.Length - 1).Sum(i => ((double)sizes[i] + 1) * sizes[i + 1]);
        return Mlp(c.EncoderSizes(spec.Kind == "vae" ? 2 * c.LatentSize : c.LatentSize)) + Mlp(c.DecoderSizes());
    }

    // "m.3" / "v.3" are shaped like parameter 3.
    private static Tensor StateShapeOwner(ModelCheckpointMetadata.Reader read, string stateName, List<(string Name, Autograd.Variable Parameter)> parameters, string[] kinds)
    {
        int dot = stateName.IndexOf('.');
        if (dot > 0 && int.TryParse(stateName.AsSpan(dot + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            && index < parameters.Count && kinds.Contains(stateName[..dot]))
            return parameters[index].Parameter.Data;
        throw read.Fail($"holds optimizer state '{OptimizerPrefix}{stateName}', which its optimizer over {parameters.Count} parameters does not have");
    }

    // The stored array as a CPU tensor shaped and typed like `like`, or a clear refusal.
    private static Tensor FromArray(ModelCheckpointMetadata.Reader read, NamedArray array, Tensor like, string what)
    {
        if (!array.Shape.AsSpan().SequenceEqual(like.Shape))
            throw read.Fail($"{what} has shape {Shapes.Format(array.Shape)} but the model's configuration needs {Shapes.Format(like.Shape)}");
        var dtype = array.DType == CheckpointDType.Float32 ? DType.Float32 : DType.Float64;
        if (dtype != like.DType)
            throw read.Fail($"{what} is {dtype.Name()} but the model's configuration says {like.DType.Name()}");
        CheckpointSanity.RequireFinite(read, array, what);
        return array.Float32 is { } f ? Tensor.FromArray(f, array.Shape) : Tensor.FromArray(array.Float64!, array.Shape);
    }
}
