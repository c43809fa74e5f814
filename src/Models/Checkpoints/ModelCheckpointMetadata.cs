using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;
using Scratch.Models.Training;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// The metadata of a model checkpoint as JSON, both ways: the <see cref="ModelSpec"/>, the
/// <see cref="TrainOptions"/>, the RNG state and the loss history. The reader trusts nothing:
/// every field is checked for presence and type, and a bad one becomes a
/// <see cref="CheckpointFormatException"/> naming the file and the field.
/// </summary>
/// <remarks>
/// 64-bit integers (seed, RNG words, the spare normal's bits) are written as decimal strings:
/// JSON numbers are doubles to most readers, which would silently round them.
/// </remarks>
internal static class ModelCheckpointMetadata
{
    public const string Content = "scratch-autoencoder";

    // ---- writing -------------------------------------------------------------------------

    public static JsonObject Spec(ModelSpec spec) => new()
    {
        ["kind"] = spec.Kind,
        ["input"] = spec.Config.InputSize,
        ["hidden"] = new JsonArray(spec.Config.HiddenSizes.Select(h => (JsonNode?)h).ToArray()),
        ["latent"] = spec.Config.LatentSize,
        ["activation"] = spec.Config.Activation.ToString().ToLowerInvariant(),
        ["loss"] = spec.Config.Loss.ToString().ToLowerInvariant(),
        ["dtype"] = spec.Config.DType.Name(),
        ["arch"] = spec.Config.Architecture.ToString().ToLowerInvariant(),
        ["beta"] = spec.Beta,
        ["warmupEpochs"] = spec.WarmupEpochs,
        ["sparsityRho"] = spec.SparsityRho,
        ["sparsityBeta"] = spec.SparsityBeta,
        ["sparsityL1"] = spec.SparsityL1,
        ["noiseSigma"] = spec.NoiseSigma,
        ["noiseClip"] = spec.NoiseClip,
        ["maskFraction"] = spec.MaskFraction,
        ["contractiveLambda"] = spec.ContractiveLambda,
    };

    public static JsonObject Options(TrainOptions o) => new()
    {
        ["epochs"] = o.Epochs,
        ["batch"] = o.BatchSize,
        ["learningRate"] = o.LearningRate,
        ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        ["trainLimit"] = o.TrainLimit,
        ["testLimit"] = o.TestLimit,
        ["optimizer"] = o.Optimizer,
        ["momentum"] = o.Momentum,
        ["weightDecay"] = o.WeightDecay,
        ["schedule"] = o.Schedule,
        ["stepSize"] = o.StepSize,
        ["gamma"] = o.Gamma,
        ["lrWarmup"] = o.LrWarmup,
        ["patience"] = o.Patience,
        ["validationFraction"] = o.ValidationFraction,
        ["clipNorm"] = o.ClipNorm,
    };

    public static JsonObject Rng(RngState s) => new()
    {
        ["s0"] = U64(s.S0),
        ["s1"] = U64(s.S1),
        ["s2"] = U64(s.S2),
        ["s3"] = U64(s.S3),
        ["hasSpare"] = s.HasSpare,
        // The cached normal is kept by its bits, so resuming draws exactly the same value.
        ["spareBits"] = U64((ulong)BitConverter.DoubleToInt64Bits(s.Spare)),
    };

    public static JsonArray History(IEnumerable<EpochResult> history) =>
        new(history.Select(r =>
        {
            var o = new JsonObject
            {
                ["epoch"] = r.Epoch,
                ["trainLoss"] = Number(r.TrainLoss),
                ["trainTerms"] = Terms(r.TrainTerms),
                ["testLoss"] = Number(r.TestLoss),
                ["testTerms"] = Terms(r.TestTerms),
                ["seconds"] = Number(r.Duration.TotalSeconds),
                ["samplesPerSecond"] = Number(r.SamplesPerSecond),
            };
            // Only runs with early stopping have a validation split: the others' files stay as they were.
            if (!double.IsNaN(r.ValidationLoss) || r.ValidationTerms.Count > 0)
            {
                o["validationLoss"] = Number(r.ValidationLoss);
                o["validationTerms"] = Terms(r.ValidationTerms);
            }
            return (JsonNode?)o;
        }).ToArray());

    private static string U64(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    // JSON has no NaN or infinity; a non-finite value (a diverged test loss) is written as null.
    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject Terms(IReadOnlyList<(string Name, double Value)> terms)
    {
        var o = new JsonObject();
        foreach (var (name, value) in terms) o[name] = Number(value);
        return o;
    }

    // ---- reading -------------------------------------------------------------------------

    /// <summary>Reads fields of one checkpoint's metadata; every failure names <see cref="Path"/>.</summary>
    public sealed class Reader(string path)
    {
        public string Path { get; } = path;

        public CheckpointFormatException Fail(string problem) => new(Path, problem);

        public JsonObject Object(JsonObject parent, string key, string where) =>
            Field(parent, key, where) as JsonObject ?? throw Fail($"metadata field '{where}.{key}' is not a JSON object");

        public JsonArray Array(JsonObject parent, string key, string where) =>
            Field(parent, key, where) as JsonArray ?? throw Fail($"metadata field '{where}.{key}' is not a JSON array");

        public string String(JsonObject parent, string key, string where) =>
            Field(parent, key, where) is JsonValue v && v.TryGetValue(out string? s)
                ? s
                : throw Fail($"metadata field '{where}.{key}' is not a string");

        public bool Bool(JsonObject parent, string key, string where) =>
            Field(parent, key, where) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? v.GetValue<bool>()
                : throw Fail($"metadata field '{where}.{key}' is not true or false");

        public int Int(JsonObject parent, string key, string where) => Int(Field(parent, key, where), $"{where}.{key}");

        public int Int(JsonNode? node, string where) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out JsonElement e) && e.TryGetInt32(out int i)
                ? i
                : throw Fail($"metadata field '{where}' is {Show(node)}, expected a 32-bit integer");

        public double Double(JsonObject parent, string key, string where) => Double(Field(parent, key, where), $"{where}.{key}", allowNull: false);

        /// <summary>A number, or null for a value that was not finite when written.</summary>
        public double Double(JsonNode? node, string where, bool allowNull)
        {
            if (node is null && allowNull) return double.NaN;
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out JsonElement e) && e.TryGetDouble(out double d))
                return d;
            throw Fail($"metadata field '{where}' is {Show(node)}, expected a number");
        }

        public ulong U64(JsonObject parent, string key, string where)
        {
            var s = String(parent, key, where);
            return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
                ? v
                : throw Fail($"metadata field '{where}.{key}' is \"{s}\", expected an unsigned 64-bit integer in a string");
        }

        public TEnum Enum<TEnum>(JsonObject parent, string key, string where) where TEnum : struct, System.Enum
        {
            var s = String(parent, key, where);
            // Only the lower-case names the writer produces: no numbers, no case games.
            foreach (var value in System.Enum.GetValues<TEnum>())
                if (value.ToString().ToLowerInvariant() == s) return value;
            var names = string.Join(", ", System.Enum.GetValues<TEnum>().Select(v => v.ToString().ToLowerInvariant()));
            throw Fail($"metadata field '{where}.{key}' is '{s}', expected one of {names}");
        }

        private JsonNode? Field(JsonObject parent, string key, string where) =>
            parent.TryGetPropertyValue(key, out var node)
                ? node
                : throw Fail($"metadata has no field '{where}.{key}'");

        private static string Show(JsonNode? node)
        {
            string text = node?.ToJsonString() ?? "null";
            return text.Length > 40 ? text[..40] + "…" : text;
        }

        public ModelSpec Spec(JsonObject o)
        {
            const string w = "model";
            var hidden = Array(o, "hidden", w).Select((n, i) => Int(n, $"{w}.hidden[{i}]")).ToArray();
            var dtypeName = String(o, "dtype", w);
            DType dtype = dtypeName switch
            {
                "float32" => DType.Float32,
                "float64" => DType.Float64,
                _ => throw Fail($"metadata field '{w}.dtype' is '{dtypeName}', expected float32 or float64"),
            };
            return new ModelSpec
            {
                Kind = String(o, "kind", w),
                Config = new AutoencoderConfig
                {
                    InputSize = Int(o, "input", w),
                    HiddenSizes = hidden,
                    LatentSize = Int(o, "latent", w),
                    Activation = Enum<Activation>(o, "activation", w),
                    Loss = Enum<ReconstructionLoss>(o, "loss", w),
                    DType = dtype,
                    // Written since the conv architecture exists; older checkpoints are MLPs.
                    Architecture = o.ContainsKey("arch") ? Enum<Architecture>(o, "arch", w) : Architecture.Mlp,
                },
                Beta = Double(o, "beta", w),
                WarmupEpochs = Double(o, "warmupEpochs", w),
                SparsityRho = Double(o, "sparsityRho", w),
                SparsityBeta = Double(o, "sparsityBeta", w),
                SparsityL1 = Double(o, "sparsityL1", w),
                NoiseSigma = Double(o, "noiseSigma", w),
                // Absent from files written before unclipped noise existed: those always clipped.
                NoiseClip = !o.ContainsKey("noiseClip") || Bool(o, "noiseClip", w),
                MaskFraction = Double(o, "maskFraction", w),
                ContractiveLambda = Double(o, "contractiveLambda", w),
            };
        }

        public TrainOptions Options(JsonObject o)
        {
            const string w = "training";
            var options = new TrainOptions
            {
                Epochs = Int(o, "epochs", w),
                BatchSize = Int(o, "batch", w),
                LearningRate = Double(o, "learningRate", w),
                Seed = U64(o, "seed", w),
                TrainLimit = Int(o, "trainLimit", w),
                TestLimit = Int(o, "testLimit", w),
            };
            // The optimization fields came later: a file without them was trained with Adam, constant lr.
            if (o.ContainsKey("optimizer"))
                options = options with
                {
                    Optimizer = String(o, "optimizer", w),
                    Momentum = Double(o, "momentum", w),
                    WeightDecay = Double(o, "weightDecay", w),
                    Schedule = String(o, "schedule", w),
                    StepSize = Int(o, "stepSize", w),
                    Gamma = Double(o, "gamma", w),
                    LrWarmup = Double(o, "lrWarmup", w),
                    Patience = Int(o, "patience", w),
                    // Written since early stopping watches a validation split; before, the test split.
                    ValidationFraction = o.ContainsKey("validationFraction") ? Double(o, "validationFraction", w) : 0.1,
                    ClipNorm = Double(o, "clipNorm", w),
                };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw Fail($"metadata field '{w}' is not a valid recipe: {e.Message}");
            }
            return options;
        }

        public RngState Rng(JsonObject o)
        {
            const string w = "rng";
            var state = new RngState(U64(o, "s0", w), U64(o, "s1", w), U64(o, "s2", w), U64(o, "s3", w),
                Bool(o, "hasSpare", w), BitConverter.Int64BitsToDouble((long)U64(o, "spareBits", w)));
            if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
                throw Fail($"metadata field '{w}' is an all-zero xoshiro state, which no generator can have");
            return state;
        }

        public List<EpochResult> History(JsonArray array)
        {
            var history = new List<EpochResult>(array.Count);
            for (int i = 0; i < array.Count; i++)
            {
                string w = $"history[{i}]";
                var o = array[i] as JsonObject ?? throw Fail($"metadata field '{w}' is not a JSON object");
                history.Add(new EpochResult(
                    Int(o, "epoch", w),
                    Double(o["trainLoss"], $"{w}.trainLoss", allowNull: true),
                    Terms(Object(o, "trainTerms", w), $"{w}.trainTerms"),
                    Double(o["testLoss"], $"{w}.testLoss", allowNull: true),
                    Terms(Object(o, "testTerms", w), $"{w}.testTerms"),
                    CheckpointSanity.Duration(NonNegative(Double(o["seconds"], $"{w}.seconds", allowNull: true))),
                    Double(o["samplesPerSecond"], $"{w}.samplesPerSecond", allowNull: true))
                {
                    ValidationLoss = o.ContainsKey("validationLoss") ? Double(o["validationLoss"], $"{w}.validationLoss", allowNull: true) : double.NaN,
                    ValidationTerms = o.ContainsKey("validationTerms") ? Terms(Object(o, "validationTerms", w), $"{w}.validationTerms") : [],
                });
            }
            return history;
        }

        private static double NonNegative(double v) => double.IsFinite(v) && v >= 0 ? v : 0;

        private IReadOnlyList<(string Name, double Value)> Terms(JsonObject o, string where) =>
            o.Select(p => (p.Key, Double(p.Value, $"{where}.{p.Key}", allowNull: true))).ToArray();
    }
}
