using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Models.Gans;

/// <summary>
/// A GAN's run (DCGAN or VAE-GAN) as a <see cref="TrainingState"/>: every network's state_dict under
/// "&lt;network&gt;." (generator.net.1.weight, discriminator.body.4.running_var), each Adam's state under
/// "optimizer.&lt;network&gt;." (optimizer.generator.m.0), the noise stream, the loop, the recipe, and
/// the per-step losses of the loss curves as "extra":
/// <code>
/// "recipe": { "latent": 64, "features": 16, "image": [1, 28, 28], "epochs": 15, "batch": 64, "learningRate": 0.0002, "beta1": 0.5,
///             "beta2": 0.999, "seed": "1", "trainLimit": 0, "gamma": 0.01, "dtype": "float32" },
/// "extra":  { "stepLosses": { "terms": ["discriminator", "generator"], "values": [[epoch, step, d, g], …] } }
/// </code>
/// A file is restored into a trainer built from the same recipe: every field but "epochs" must agree
/// (a different seed or width would not continue the run), and every refusal names the file and the field.
/// </summary>
public static class GanCheckpoint
{
    /// <summary>The trainer's run as a training state.</summary>
    public static TrainingState State(GanTrainer trainer)
    {
        var steps = new JsonObject
        {
            ["terms"] = new JsonArray(trainer.Steps.FirstOrDefault().Terms?.Select(t => (JsonNode?)t.Name).ToArray() ?? []),
            ["values"] = new JsonArray(trainer.Steps.Select(s => (JsonNode?)new JsonArray(
                [JsonValue.Create(s.Epoch), JsonValue.Create(s.Step), .. s.Terms.Select(t => RunJson.Number(t.Value))])).ToArray()),
        };
        var state = new TrainingState(trainer.Content, Recipe(trainer.Recipe)) { Loop = trainer.Loop, Extra = new JsonObject { ["stepLosses"] = steps } };
        foreach (var (name, network, optimizer) in trainer.Networks)
        {
            state.Modules.Add((name + ".", network));
            state.Optimizers.Add((name + ".", optimizer));
        }
        state.Rngs.Add(("noise", trainer.Noise));
        return state;
    }

    /// <summary>Writes the trainer's run to <paramref name="path"/> (crash-safe).</summary>
    public static void Save(string path, GanTrainer trainer) => State(trainer).Save(path);

    /// <summary>How many epochs the checkpoint at <paramref name="path"/> has trained (for a "nothing to do" check before building a trainer).</summary>
    public static int EpochsDone(string path) => TrainingState.Read(path).EpochsDone;

    /// <summary>
    /// Loads the run saved at <paramref name="path"/> into <paramref name="trainer"/>, which was built
    /// from the same recipe (its target epoch count may differ). Nothing is changed unless the whole
    /// file fits: a malformed or mismatched file gives a <see cref="CheckpointFormatException"/>
    /// naming the file and the field or tensor.
    /// </summary>
    public static void Restore(string path, GanTrainer trainer)
    {
        var file = TrainingState.Read(path, trainer.Content);
        var read = file.Reader;
        CheckRecipe(read, file.Recipe, trainer.Recipe);
        var stepLosses = StepLosses(read, read.Object(file.Extra, "stepLosses", "extra"));
        State(trainer).Restore(file);
        trainer.Steps.Clear();
        trainer.Steps.AddRange(stepLosses);
    }

    /// <summary>
    /// The GAN saved at <paramref name="path"/> (DCGAN or VAE-GAN, told by its content), rebuilt from
    /// the recipe the file holds and restored, ready to <see cref="GanTrainer.Sample"/> from.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a GAN's, or a field is missing or wrong (named).</exception>
    public static GanTrainer Load(string path)
    {
        var file = TrainingState.Read(path);
        var read = file.Reader;
        var r = file.Recipe;
        const string where = "recipe";
        var recipe = new GanRecipe
        {
            Shape = new GanShape(read.Int(r, "latent", where), read.Int(r, "features", where)) { Image = ReadImage(read, r) },
            Epochs = read.Int(r, "epochs", where),
            BatchSize = read.Int(r, "batch", where),
            LearningRate = read.Double(r, "learningRate", where),
            Beta1 = read.Double(r, "beta1", where),
            Beta2 = read.Double(r, "beta2", where),
            Seed = ulong.TryParse(read.String(r, "seed", where), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
                ? seed : throw read.Fail("metadata field 'recipe.seed' is not a whole number"),
            TrainLimit = read.Int(r, "trainLimit", where),
            Gamma = read.Double(r, "gamma", where),
            DType = read.String(r, "dtype", where) switch
            {
                "float32" => DType.Float32,
                "float64" => DType.Float64,
                var other => throw read.Fail($"metadata field 'recipe.dtype' is '{other}', not float32 or float64"),
            },
        };
        if (recipe.Shape.LatentSize < 1 || recipe.Shape.Features < 1)
            throw read.Fail($"metadata fields 'recipe.latent' {recipe.Shape.LatentSize} and 'recipe.features' {recipe.Shape.Features} must be positive");
        var none = new Data.ImageSet(recipe.Shape.Image, [], labels: null);   // nothing to train on: the trainer only holds the networks
        GanTrainer trainer;
        try
        {
            trainer = file.Content switch
            {
                DcganTrainer.CheckpointContent => new DcganTrainer(recipe, none),
                VaeGanTrainer.CheckpointContent => new VaeGanTrainer(recipe, none),
                _ => throw read.Fail($"holds a '{file.Content}', not a GAN ({DcganTrainer.CheckpointContent} or {VaeGanTrainer.CheckpointContent})"),
            };
        }
        catch (ArgumentException e)
        {
            throw read.Fail($"its networks cannot be built: {e.Message}");
        }
        Restore(path, trainer);
        return trainer;
    }

    private static JsonObject Recipe(GanRecipe r) => new()
    {
        ["latent"] = r.Shape.LatentSize,
        ["features"] = r.Shape.Features,
        ["image"] = new JsonArray(r.Shape.Image.Channels, r.Shape.Image.Height, r.Shape.Image.Width),
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
    private static void CheckRecipe(MetadataReader read, JsonObject saved, GanRecipe recipe)
    {
        foreach (var (key, value) in Recipe(recipe))
        {
            if (key == "epochs") continue;
            if (key == "image" && !saved.ContainsKey(key) && recipe.Shape.Image == Data.ImageShape.Mnist) continue;   // written before shapes were: 28×28 grey
            if (!saved.TryGetPropertyValue(key, out var stored))
                throw read.Fail($"metadata has no field 'recipe.{key}'");
            if (!JsonNode.DeepEquals(stored, value))
                throw read.Fail($"metadata field 'recipe.{key}' is {stored?.ToJsonString() ?? "null"}, but this run's is {value!.ToJsonString()}: the checkpoint is of another recipe");
        }
    }

    // "image": [C, H, W] with C 1 or 3 and sides of at least 4; absent from files written before shapes were saved, which are 28×28 grey.
    private static Data.ImageShape ReadImage(MetadataReader read, JsonObject r)
    {
        if (!r.ContainsKey("image")) return Data.ImageShape.Mnist;
        var dims = read.Array(r, "image", "recipe").Select((n, i) => read.Int(n, $"recipe.image[{i}]")).ToArray();
        if (dims is not [1 or 3, >= Nn.ConvStages.MinSide and <= 4096, >= Nn.ConvStages.MinSide and <= 4096])
            throw read.Fail($"metadata field 'recipe.image' is [{string.Join(", ", dims)}], not [C, H, W] with C 1 or 3 and sides from {Nn.ConvStages.MinSide} to 4096");
        return new Data.ImageShape(dims[0], dims[1], dims[2]);
    }

    private static List<StepLosses> StepLosses(MetadataReader read, JsonObject o)
    {
        var names = read.Array(o, "terms", "extra.stepLosses").Select((n, i) => n is JsonValue v && v.TryGetValue(out string? s)
            ? s : throw read.Fail($"metadata field 'extra.stepLosses.terms[{i}]' is not a string")).ToArray();
        var rows = read.Array(o, "values", "extra.stepLosses");
        var steps = new List<StepLosses>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            string w = $"extra.stepLosses.values[{i}]";
            if (rows[i] is not JsonArray row || row.Count != names.Length + 2)
                throw read.Fail($"metadata field '{w}' is not an array of epoch, step and {names.Length} losses");
            var terms = names.Select((n, t) => (n, read.Double(row[t + 2], $"{w}[{t + 2}]", allowNull: true))).ToArray();
            steps.Add(new StepLosses(read.Int(row[0], $"{w}[0]"), read.Int(row[1], $"{w}[1]"), terms));
        }
        return steps;
    }
}
