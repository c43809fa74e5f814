using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;
using Scratch.Models.Training;

namespace Scratch.Models.Gans;

/// <summary>
/// Saves and restores a GAN's training run (DCGAN or VAE-GAN) as one safetensors file: every
/// network's state_dict under "&lt;network&gt;." (generator.net.1.weight, discriminator.body.4.running_var),
/// each Adam's moments under "optimizer.&lt;network&gt;." (optimizer.generator.m.0), and the rest as JSON in
/// __metadata__["scratch.checkpoint"], the key the autoencoders' checkpoints use:
/// <code>
/// { "content": "scratch-dcgan",
///   "recipe": { "latent": 64, "features": 16, "epochs": 15, "batch": 64, "learningRate": 0.0002, "beta1": 0.5,
///               "beta2": 0.999, "seed": "1", "trainLimit": 0, "gamma": 0.01, "dtype": "float32" },
///   "epochsDone": 3, "rng": { … the noise stream … }, "optimizerSteps": { "generator": 372, "discriminator": 372 },
///   "history": [ { "epoch": 1, "loss": 2.1, "terms": { "discriminator": 1.2, "generator": 0.9 }, "steps": 124, "seconds": 20.5 }, … ],
///   "stepLosses": { "terms": ["discriminator", "generator"], "values": [[epoch, step, d, g], …] } }
/// </code>
/// A file is restored into a trainer built from the same recipe: every field but "epochs" must agree
/// (a different seed or width would not continue the run), and every refusal names the file and the field.
/// </summary>
public static class GanCheckpoint
{
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>Writes the trainer's state to <paramref name="path"/> (crash-safe: Safetensors.Save writes through AtomicFile).</summary>
    public static void Save(string path, GanTrainer trainer)
    {
        var steps = new JsonObject
        {
            ["terms"] = new JsonArray(trainer.Steps.FirstOrDefault().Terms?.Select(t => (JsonNode?)t.Name).ToArray() ?? []),
            ["values"] = new JsonArray(trainer.Steps.Select(s => (JsonNode?)new JsonArray(
                [JsonValue.Create(s.Epoch), JsonValue.Create(s.Step), .. s.Terms.Select(t => Number(t.Value))])).ToArray()),
        };
        var metadata = new JsonObject
        {
            ["content"] = trainer.Content,
            ["recipe"] = Recipe(trainer.Recipe),
            ["epochsDone"] = trainer.Loop.EpochsDone,
            ["rng"] = ModelCheckpointMetadata.Rng(trainer.Noise.State),
            ["optimizerSteps"] = new JsonObject(trainer.Networks.Select(n => KeyValuePair.Create(n.Name, (JsonNode?)n.Optimizer.StepCount))),
            ["history"] = new JsonArray(trainer.Loop.History.Select(e => (JsonNode?)new JsonObject
            {
                ["epoch"] = e.Epoch,
                ["loss"] = Number(e.TrainLoss),
                ["terms"] = new JsonObject(e.TrainTerms.Select(t => KeyValuePair.Create(t.Name, Number(t.Value)))),
                ["steps"] = e.Steps,
                ["seconds"] = e.Duration.TotalSeconds,
                ["samplesPerSecond"] = Number(e.SamplesPerSecond),
            }).ToArray()),
            ["stepLosses"] = steps,
        };
        var tensors = trainer.Networks.SelectMany(n =>
            n.Network.NamedState().Select(s => (n.Name + "." + s.Name, s.Value))
                .Concat(n.Optimizer.State().Select(s => (OptimizerPrefix + n.Name + "." + s.Name, s.State))));
        Safetensors.Save(path, tensors, new Dictionary<string, string>
        {
            [ModelCheckpoint.MetadataKey] = metadata.ToJsonString(),
            [ModelCheckpoint.VersionKey] = ModelCheckpoint.FormatVersion.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>How many epochs the checkpoint at <paramref name="path"/> has trained (for a "nothing to do" check before building a trainer).</summary>
    public static int EpochsDone(string path)
    {
        var (meta, _) = ModelCheckpoint.ReadParts(path);
        return new ModelCheckpointMetadata.Reader(path).Int(meta, "epochsDone", "metadata");
    }

    /// <summary>
    /// Loads the run saved at <paramref name="path"/> into <paramref name="trainer"/>, which was built
    /// from the same recipe (its target epoch count may differ). Nothing is changed unless the whole
    /// file fits: a malformed or mismatched file gives a <see cref="CheckpointFormatException"/>
    /// naming the file and the field or tensor.
    /// </summary>
    public static void Restore(string path, GanTrainer trainer)
    {
        var (meta, arrays) = ModelCheckpoint.ReadParts(path);
        var read = new ModelCheckpointMetadata.Reader(path);
        string content = read.String(meta, "content", "metadata");
        if (content != trainer.Content)
            throw read.Fail($"metadata field 'content' is '{content}', expected '{trainer.Content}' (a checkpoint of another model)");
        CheckRecipe(read, read.Object(meta, "recipe", "metadata"), trainer.Recipe);
        int epochsDone = read.Int(meta, "epochsDone", "metadata");
        if (epochsDone < 0) throw read.Fail($"metadata field 'metadata.epochsDone' is {epochsDone}, expected ≥ 0");
        var rng = read.Rng(read.Object(meta, "rng", "metadata"));
        var optimizerSteps = read.Object(meta, "optimizerSteps", "metadata");
        var history = History(read, read.Array(meta, "history", "metadata"));
        var stepLosses = StepLosses(read, read.Object(meta, "stepLosses", "metadata"));

        // Every tensor the trainer has, from the file, checked before anything is copied.
        var byName = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var weights = new List<(Tensor Target, Tensor Value)>();
        var optimizerStates = new List<Dictionary<string, Tensor>>();
        var steps = new List<int>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, network, optimizer) in trainer.Networks)
        {
            foreach (var (stateName, target) in network.NamedState())
                weights.Add((target, Tensor(read, byName, expected, name + "." + stateName, target)));
            optimizerStates.Add(optimizer.State().ToDictionary(s => s.Name,
                s => Tensor(read, byName, expected, OptimizerPrefix + name + "." + s.Name, s.State), StringComparer.Ordinal));
            // Moments no Adam with these betas can reach (|m| ≤ bound·√v) are a corrupt file, as for the autoencoders.
            var moments = optimizerStates[^1];
            for (int i = 0; moments.ContainsKey($"m.{i}"); i++)
                CheckpointSanity.RequireAdamMoments(read, $"tensor '{OptimizerPrefix}{name}.m.{i}'", $"tensor '{OptimizerPrefix}{name}.v.{i}'",
                    moments[$"m.{i}"], moments[$"v.{i}"], trainer.Recipe.Beta1, trainer.Recipe.Beta2);
            int count = read.Int(optimizerSteps, name, "optimizerSteps");
            if (count < 0) throw read.Fail($"metadata field 'optimizerSteps.{name}' is {count}, expected ≥ 0");
            steps.Add(count);
        }
        if (arrays.FirstOrDefault(a => !expected.Contains(a.Name)) is { } extra)
            throw read.Fail($"holds tensor '{extra.Name}', which this {trainer.Content} run does not have");

        foreach (var (target, value) in weights) target.CopyFrom(value.To(target.Device));
        for (int i = 0; i < trainer.Networks.Count; i++) trainer.Networks[i].Optimizer.LoadState(optimizerStates[i], steps[i]);
        trainer.Noise.State = rng;
        trainer.Loop.EpochsDone = epochsDone;
        trainer.Loop.History.Clear();
        trainer.Loop.History.AddRange(history);
        trainer.Steps.Clear();
        trainer.Steps.AddRange(stepLosses);
    }

    // The stored array named `name` as a CPU tensor shaped and typed like `like`, or a refusal naming it.
    private static Tensor Tensor(ModelCheckpointMetadata.Reader read, Dictionary<string, NamedArray> byName, HashSet<string> expected, string name, Tensor like)
    {
        expected.Add(name);
        if (!byName.TryGetValue(name, out var array))
            throw read.Fail($"has no tensor '{name}', which this run needs");
        if (!array.Shape.AsSpan().SequenceEqual(like.Shape))
            throw read.Fail($"tensor '{name}' has shape {Shapes.Format(array.Shape)}, expected {Shapes.Format(like.ShapeArray)}");
        var dtype = array.DType == CheckpointDType.Float32 ? DType.Float32 : DType.Float64;
        if (dtype != like.DType)
            throw read.Fail($"tensor '{name}' is {dtype.Name()}, expected {like.DType.Name()}");
        CheckpointSanity.RequireFinite(read, array, $"tensor '{name}'");
        return array.Float32 is { } f ? Scratch.Tensor.FromArray(f, array.Shape) : Scratch.Tensor.FromArray(array.Float64!, array.Shape);
    }

    private static JsonObject Recipe(GanRecipe r) => new()
    {
        ["latent"] = r.Shape.LatentSize,
        ["features"] = r.Shape.Features,
        ["epochs"] = r.Epochs,
        ["batch"] = r.BatchSize,
        ["learningRate"] = r.LearningRate,
        ["beta1"] = r.Beta1,
        ["beta2"] = r.Beta2,
        ["seed"] = r.Seed.ToString(CultureInfo.InvariantCulture),
        ["trainLimit"] = r.TrainLimit,
        ["gamma"] = r.Gamma,
        ["dtype"] = r.DType.Name(),
    };

    // Every field but the target epoch count must be this run's: anything else would not continue it.
    private static void CheckRecipe(ModelCheckpointMetadata.Reader read, JsonObject saved, GanRecipe recipe)
    {
        foreach (var (key, value) in Recipe(recipe))
        {
            if (key == "epochs") continue;
            if (!saved.TryGetPropertyValue(key, out var stored))
                throw read.Fail($"metadata has no field 'recipe.{key}'");
            if (!JsonNode.DeepEquals(stored, value))
                throw read.Fail($"metadata field 'recipe.{key}' is {stored?.ToJsonString() ?? "null"}, but this run's is {value!.ToJsonString()}: the checkpoint is of another recipe");
        }
    }

    private static List<EpochResult> History(ModelCheckpointMetadata.Reader read, JsonArray array)
    {
        var history = new List<EpochResult>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            string w = $"history[{i}]";
            var o = array[i] as JsonObject ?? throw read.Fail($"metadata field '{w}' is not a JSON object");
            var terms = read.Object(o, "terms", w).Select(p => (p.Key, read.Double(p.Value, $"{w}.terms.{p.Key}", allowNull: true))).ToArray();
            double seconds = read.Double(o, "seconds", w);
            history.Add(new EpochResult(read.Int(o, "epoch", w), read.Double(o["loss"], $"{w}.loss", allowNull: true), terms,
                double.NaN, [], CheckpointSanity.Duration(double.IsFinite(seconds) && seconds >= 0 ? seconds : 0),
                read.Double(o["samplesPerSecond"], $"{w}.samplesPerSecond", allowNull: true)) { Steps = read.Int(o, "steps", w) });
        }
        return history;
    }

    private static List<StepLosses> StepLosses(ModelCheckpointMetadata.Reader read, JsonObject o)
    {
        var names = read.Array(o, "terms", "stepLosses").Select((n, i) => n is JsonValue v && v.TryGetValue(out string? s)
            ? s : throw read.Fail($"metadata field 'stepLosses.terms[{i}]' is not a string")).ToArray();
        var rows = read.Array(o, "values", "stepLosses");
        var steps = new List<StepLosses>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            string w = $"stepLosses.values[{i}]";
            if (rows[i] is not JsonArray row || row.Count != names.Length + 2)
                throw read.Fail($"metadata field '{w}' is not an array of epoch, step and {names.Length} losses");
            var terms = names.Select((n, t) => (n, read.Double(row[t + 2], $"{w}[{t + 2}]", allowNull: true))).ToArray();
            steps.Add(new StepLosses(read.Int(row[0], $"{w}[0]"), read.Int(row[1], $"{w}[1]"), terms));
        }
        return steps;
    }

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
