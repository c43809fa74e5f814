using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// One training run as one safetensors file: every run — an autoencoder, a GAN, the feature
/// network — is saved and resumed through this class alone. As a PyTorch checkpoint is the union of
/// its owners' state_dicts, a state is the union of what its owners hold:
/// <code>
///   tensors      each module's state_dict under its prefix   "encoder.0.weight", "generator.net.1.weight"
///                each optimizer's state, "optimizer." + prefix "optimizer.m.0", "optimizer.generator.m.0"
///   __metadata__["scratch.state"], a JSON object:
///     { "content": "scratch-autoencoder", "recipe": { … the family's … },
///       "epochsDone": 3, "history": [ { "epoch": 1, "trainLoss": …, "trainTerms": { … }, … }, … ],
///       "rngs": { "trainer": { "s0": "…", … } }, "optimizers": { "model": { "kind": "adam", "steps": 189 } },
///       "extra": { … anything else the family keeps … } }
///   __metadata__["scratch.format_version"]: "3";  __metadata__["scratch.crc32"]: a CRC-32 per tensor
/// </code>
/// A family builds its objects from the recipe (<see cref="Read"/>), lists them in a state, and
/// <see cref="Restore"/> checks every tensor, moment, stream and history record of the file against
/// them before it copies anything: a malformed or mismatched file changes nothing and is refused
/// naming the file and the field or tensor. On the CPU with the same thread count a restored run
/// continues bitwise: the batch order depends only on (seed, epoch) and every other draw on the
/// saved streams.
/// </summary>
public sealed class TrainingState(string content, JsonObject recipe)
{
    /// <summary>The __metadata__ key of the JSON object above.</summary>
    public const string MetadataKey = "scratch.state";
    /// <summary>The __metadata__ key of the format version.</summary>
    public const string VersionKey = "scratch.format_version";
    /// <summary>3: one training state. 2 was safetensors with a layout per family, 1 the scratch-checkpoint format; the command line's convert rewrites both.</summary>
    public const int FormatVersion = 3;
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>What kind of run this is ("scratch-autoencoder", "scratch-dcgan", …): a file of another is refused.</summary>
    public string Content { get; } = content;
    /// <summary>The family's recipe, as it writes it.</summary>
    public JsonObject Recipe { get; } = recipe;
    /// <summary>(prefix, module): the module's state_dict is stored under the prefix ("" or "generator.").</summary>
    public List<(string Prefix, Module Module)> Modules { get; } = [];
    /// <summary>(prefix, optimizer): its state under "optimizer." + prefix.</summary>
    public List<(string Prefix, Optimizer Optimizer)> Optimizers { get; } = [];
    /// <summary>(name, rng): the streams whose positions a resumed run needs.</summary>
    public List<(string Name, Rng Rng)> Rngs { get; } = [];
    /// <summary>The loop whose epochs and history are saved; null for a run without one.</summary>
    public TrainingLoop? Loop { get; init; }
    /// <summary>Whatever else the family keeps (a GAN's per-step losses, a classifier's accuracy).</summary>
    public JsonObject Extra { get; init; } = [];

    /// <summary>Writes the state to <paramref name="path"/>, crash-safe (<see cref="Files.AtomicFile"/>).</summary>
    public void Save(string path)
    {
        var metadata = new JsonObject
        {
            ["content"] = Content,
            ["recipe"] = Recipe.DeepClone(),
            ["epochsDone"] = Loop?.EpochsDone ?? 0,
            ["history"] = RunJson.History(Loop?.History ?? []),
            ["rngs"] = new JsonObject(Rngs.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)RunJson.Rng(r.Rng.State)))),
            ["optimizers"] = new JsonObject(Optimizers.Select(o => KeyValuePair.Create(Key(o.Prefix),
                (JsonNode?)new JsonObject { ["kind"] = Kind(o.Optimizer), ["steps"] = o.Optimizer.StepCount }))),
            ["extra"] = Extra.DeepClone(),
        };
        var tensors = Modules.SelectMany(m => m.Module.NamedState().Select(s => (m.Prefix + s.Name, s.Value)))
            .Concat(Optimizers.SelectMany(o => o.Optimizer.State().Select(s => (OptimizerPrefix + o.Prefix + s.Name, s.State))));
        WriteParts(path, metadata, tensors);
    }

    /// <summary>A state file read and checked as a file, not yet against any objects.</summary>
    public sealed record File(string Path, string Content, JsonObject Recipe, int EpochsDone, JsonObject Metadata, IReadOnlyList<(string Name, Tensor Tensor)> Tensors)
    {
        /// <summary>A reader of this file's metadata fields.</summary>
        public MetadataReader Reader => new(Path);
        /// <summary>The family's extra fields.</summary>
        public JsonObject Extra => Reader.Object(Metadata, "extra", "metadata");
    }

    /// <summary>
    /// Reads a state file. A file of an older Scratch gives <see cref="OldCheckpointFormatException"/>;
    /// a safetensors file without a state, one whose content is not <paramref name="content"/> (when
    /// given), or a damaged one gives <see cref="CheckpointFormatException"/> naming the file.
    /// </summary>
    public static File Read(string path, string? content = null)
    {
        if (Directory.Exists(path)) throw new CheckpointFormatException(path, "is a folder, not a checkpoint file");
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        if (!Safetensors.IsSafetensors(path)) throw new OldCheckpointFormatException(path, 1);
        var (tensors, strings) = Safetensors.Load(path);
        if (strings.TryGetValue(VersionKey, out var version) && version is "1" or "2" && !strings.ContainsKey(MetadataKey))
            throw new OldCheckpointFormatException(path, version == "1" ? 1 : 2);
        if (!strings.TryGetValue(MetadataKey, out var json))
            throw strings.ContainsKey("scratch.checkpoint")
                ? new OldCheckpointFormatException(path, 2)
                : new CheckpointFormatException(path, $"is a safetensors file without Scratch's training state (no __metadata__['{MetadataKey}']); load its weights with Safetensors.Load and Module.LoadStateDict");
        JsonObject metadata;
        try
        {
            // Duplicate keys are refused here (JSON gives them no meaning) rather than failing later on first access.
            metadata = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                       ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"__metadata__['{MetadataKey}'] is not a JSON object ({e.Message})", e);
        }
        var read = new MetadataReader(path);
        if (version != FormatVersion.ToString(CultureInfo.InvariantCulture))
            throw read.Fail($"__metadata__['{VersionKey}'] is {(version is null ? "missing" : $"'{version}'")}; a training state is version {FormatVersion}");
        string found = read.String(metadata, "content", "metadata");
        if (content is not null && found != content)
            throw read.Fail($"metadata field 'content' is '{found}', expected '{content}' (a checkpoint of another kind of run)");
        return new File(path, found, read.Object(metadata, "recipe", "metadata"), read.Count(metadata, "epochsDone", "metadata"), metadata, tensors);
    }

    /// <summary>A state file's JSON and tensors, checked as a file but not against any objects: for tools and tests that edit checkpoints.</summary>
    public static (JsonObject Metadata, IReadOnlyList<(string Name, Tensor Tensor)> Tensors) ReadParts(string path)
    {
        var file = Read(path);
        return (file.Metadata, file.Tensors);
    }

    /// <summary>Writes a state file from its parts, as <see cref="Save"/> lays it out (the inverse of <see cref="ReadParts"/>; the converter of old files writes through it).</summary>
    public static void WriteParts(string path, JsonObject metadata, IEnumerable<(string Name, Tensor Tensor)> tensors) =>
        Safetensors.Save(path, tensors,
            new Dictionary<string, string>
            {
                [MetadataKey] = metadata.ToJsonString(),
                [VersionKey] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            });

    /// <summary>
    /// Copies <paramref name="file"/> into this state's objects, after checking all of it: every
    /// tensor present, of the right shape and dtype, and no tensor nobody owns; every optimizer of the
    /// saved kind, with moments Adam can produce; every stream a valid state; the history well formed.
    /// </summary>
    public void Restore(File file)
    {
        var read = file.Reader;
        var byName = file.Tensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var copies = new List<(Tensor Target, Tensor Value)>();
        foreach (var (prefix, module) in Modules)
            foreach (var (name, target) in module.NamedState())
            {
                var value = Stored(read, byName, expected, prefix + name, target, "the model");
                RequirePossibleBuffer(read, prefix + name, value);
                copies.Add((target, value));
            }

        var optimizers = read.Object(file.Metadata, "optimizers", "metadata");
        var loads = new List<(Optimizer Optimizer, Dictionary<string, Tensor> State, int Steps)>();
        foreach (var (prefix, optimizer) in Optimizers)
        {
            string key = Key(prefix), where = $"optimizers.{key}";
            var saved = read.Object(optimizers, key, "optimizers");
            string kind = read.String(saved, "kind", where);
            if (kind != Kind(optimizer))
                throw read.Fail($"metadata field '{where}.kind' is '{kind}', but this run's optimizer is {Kind(optimizer)}");
            var state = optimizer.State().ToDictionary(s => s.Name,
                s => Stored(read, byName, expected, OptimizerPrefix + prefix + s.Name, s.State, "its optimizer"), StringComparer.Ordinal);
            if (optimizer is Adam adam)
                for (int i = 0; state.ContainsKey($"m.{i}"); i++)
                    RequireAdamMoments(read, $"tensor '{OptimizerPrefix}{prefix}m.{i}'", $"tensor '{OptimizerPrefix}{prefix}v.{i}'",
                        state[$"m.{i}"], state[$"v.{i}"], adam.Settings.Beta1, adam.Settings.Beta2);
            loads.Add((optimizer, state, read.Count(saved, "steps", where)));
        }
        if (file.Tensors.FirstOrDefault(t => !expected.Contains(t.Name)) is { Name: not null } extra)
            throw read.Fail($"holds tensor '{extra.Name}', which this {Content} run does not have");

        var rngs = read.Object(file.Metadata, "rngs", "metadata");
        var streams = Rngs.Select(r => (r.Rng, State: RunJson.Rng(read, read.Object(rngs, r.Name, "rngs"), $"rngs.{r.Name}"))).ToList();
        var history = RunJson.History(read, read.Array(file.Metadata, "history", "metadata"));
        // One record per epoch done, numbered from 1: a history that says otherwise is not this run's.
        if (history.Count != file.EpochsDone || history.Where((e, i) => e.Epoch != i + 1).Any())
            throw read.Fail($"metadata field 'history' holds {history.Count} epoch record(s) ({string.Join(", ", history.Select(e => e.Epoch))}) but 'epochsDone' is {file.EpochsDone}");

        // Everything checked: now copy.
        foreach (var (target, value) in copies) target.CopyFrom(value.To(target.Device));
        foreach (var (optimizer, state, steps) in loads) optimizer.LoadState(state, steps);
        foreach (var (rng, state) in streams) rng.State = state;
        if (Loop is not null)
        {
            Loop.EpochsDone = file.EpochsDone;
            Loop.History.Clear();
            Loop.History.AddRange(history);
        }
    }

    /// <summary>
    /// Adam's moments for one parameter: v is an average of squares, so never negative, and by
    /// Cauchy–Schwarz m² ≤ K·v with K = (1−β₁)²/(1−β₂) · 1/(1 − β₁²/β₂) for any gradients (β₁²&lt;β₂).
    /// A small slack absorbs float32 rounding; anything beyond it was not written by Adam.
    /// </summary>
    private static void RequireAdamMoments(MetadataReader read, string mName, string vName, Tensor m, Tensor v, double beta1, double beta2)
    {
        // m_t = (1−β₁)Σ β₁^(t−k) g_k, v_t = (1−β₂)Σ β₂^(t−k) g_k²; write β₁^j = (β₁/√β₂)^j · √β₂^j and apply Cauchy–Schwarz.
        double bound = (1 - beta1) * (1 - beta1) / (1 - beta2) / (1 - beta1 * beta1 / beta2);
        var ms = m.To(DType.Float64).Contiguous().ToArray<double>();
        var vs = v.To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < vs.Length; i++)
        {
            if (vs[i] < 0)
                throw read.Fail($"{vName} (Adam's second moment) is {vs[i]} at element {i}; a mean of squared gradients is never negative");
            if (ms[i] * ms[i] > bound * vs[i] * 1.01 + 1e-30)
                throw read.Fail($"{mName} is {ms[i]} at element {i} while {vName} is {vs[i]}: Adam keeps m² ≤ {bound:F1}·v, so these moments were not written by Adam");
        }
    }

    // Buffers no training can produce, in PyTorch's state_dict vocabulary: a running variance (a mean
    // of squares) or a count of batches below zero would make BatchNorm divide by the square root of a
    // negative number, and the model's outputs NaN.
    private static void RequirePossibleBuffer(MetadataReader read, string name, Tensor value)
    {
        if (!name.EndsWith("running_var", StringComparison.Ordinal) && !name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) return;
        var values = value.To(DType.Float64).Contiguous().ToArray<double>();
        int i = Array.FindIndex(values, v => v < 0);
        if (i >= 0)
            throw read.Fail($"tensor '{name}' is {values[i]} at element {i}; {(name.EndsWith("running_var", StringComparison.Ordinal) ? "a variance" : "a count of batches")} is never negative");
    }

    // "" for a run's only optimizer is named "model" in the JSON; a prefix "generator." by "generator".
    private static string Key(string prefix) => prefix.Length == 0 ? "model" : prefix.TrimEnd('.');

    private static string Kind(Optimizer optimizer) => optimizer.GetType().Name.ToLowerInvariant();

    // The stored tensor `name`, checked to be shaped and typed like `like`, or a refusal naming it.
    private static Tensor Stored(MetadataReader read, Dictionary<string, Tensor> byName, HashSet<string> expected, string name, Tensor like, string owner)
    {
        expected.Add(name);
        if (!byName.TryGetValue(name, out var stored))
            throw read.Fail($"has no tensor '{name}', which {owner} needs");
        if (!Shapes.SameShape(stored.Shape, like.Shape))
            throw read.Fail($"tensor '{name}' has shape {Shapes.Format(stored.ShapeArray)} but {owner} needs {Shapes.Format(like.ShapeArray)}");
        if (stored.DType != like.DType)
            throw read.Fail($"tensor '{name}' is {stored.DType.Name()} but {owner} is {like.DType.Name()}");
        return stored;
    }
}
