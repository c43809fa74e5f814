using System.Numerics;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scratch.Models.Files;

namespace Scratch.Models.Checkpoints;

/// <summary>What <see cref="Safetensors.Load"/> read: the tensors in file order and the string metadata.</summary>
public sealed record SafetensorsContent(IReadOnlyList<(string Name, Tensor Tensor)> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensors by name, as <c>Module.LoadStateDict</c> takes them.</summary>
    public IReadOnlyDictionary<string, Tensor> ByName => Tensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
}

/// <summary>
/// The safetensors format of Hugging Face (https://github.com/huggingface/safetensors), which
/// PyTorch, TorchSharp.PyBridge and the safetensors library read and write:
/// <code>
///   [8 bytes]  N, the header length, unsigned little-endian
///   [N bytes]  UTF-8 JSON: {"__metadata__": {"key": "string", …},
///              "name": {"dtype": "F32", "shape": [400, 784], "data_offsets": [begin, end]}, …}
///              padded with spaces so the data starts at a multiple of 8
///   [rest]     tensor data, little-endian, row-major; offsets count from the start of this region
/// </code>
/// Scratch writes F32 and F64 and reads them; any other dtype is refused by name. Integrity: the
/// writer records a CRC-32 of every tensor's bytes in <c>__metadata__["scratch.crc32"]</c> (a JSON
/// string: name → 8 hex digits) and a CRC-32 of the header itself — every metadata entry, every
/// tensor's name, dtype, shape and offsets, in a canonical order — in
/// <c>__metadata__["scratch.header_crc32"]</c>, so a flipped bit anywhere in a file (a training
/// state's RNG, history or epoch count included) is refused instead of trained on. A file whose
/// metadata says Scratch wrote it (a key starting "scratch.") must carry both checksums: deleting them
/// does not switch the checks off. Tensors holding NaN or ±∞ are refused by name. Files from other
/// writers carry no checksums and load all the same.
/// </summary>
public static class Safetensors
{
    /// <summary>The header key of the string → string metadata map.</summary>
    public const string MetadataKey = "__metadata__";
    /// <summary>The metadata key of the CRC-32s Scratch writes: a JSON string, tensor name → 8 hex digits.</summary>
    public const string ChecksumKey = "scratch.crc32";
    /// <summary>The metadata key of the header's own CRC-32 (8 hex digits), over <see cref="CanonicalHeader"/>.</summary>
    public const string HeaderChecksumKey = "scratch.header_crc32";

    /// <summary>Writes the tensors (in the given order) and string metadata; crash-safe (<see cref="Files.AtomicFile"/>).</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var arrays = tensors.Select(t => ToBytes(t.Name, t.Tensor)).ToList();
        var meta = new JsonObject();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (key is ChecksumKey or HeaderChecksumKey) throw new ArgumentException($"safetensors: metadata key '{key}' is the writer's own");
            meta[key] = value;
        }
        var sums = new JsonObject();
        foreach (var a in arrays) sums[a.Name] = Crc32.Compute(a.Bytes).ToString("x8", CultureInfo.InvariantCulture);
        meta[ChecksumKey] = sums.ToJsonString();

        var header = new JsonObject { [MetadataKey] = meta };
        var entries = new List<TensorEntry>();
        long offset = 0;
        foreach (var a in arrays)
        {
            if (a.Name == MetadataKey || header.ContainsKey(a.Name))
                throw new ArgumentException($"safetensors: tensor name '{a.Name}' is used twice or reserved");
            var shape = new JsonArray();
            foreach (int d in a.Shape) shape.Add(d);
            header[a.Name] = new JsonObject { ["dtype"] = a.DType == DType.Float32 ? "F32" : "F64", ["shape"] = shape, ["data_offsets"] = new JsonArray(offset, offset + a.Bytes.Length) };
            entries.Add(new TensorEntry(a.Name, a.DType, a.Shape, a.Shape.Aggregate(1, (x, y) => x * y), offset, offset + a.Bytes.Length));
            offset += a.Bytes.Length;
        }
        var strings = meta.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        meta[HeaderChecksumKey] = Crc32.Compute(Encoding.UTF8.GetBytes(CanonicalHeader(strings, entries))).ToString("x8", CultureInfo.InvariantCulture);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        Files.AtomicFile.Write(path, file =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            file.Write(length);
            file.Write(json);
            for (int i = json.Length; i < padded; i++) file.WriteByte((byte)' ');
            foreach (var a in arrays) file.Write(a.Bytes);
        });
    }

    /// <summary>
    /// Reads and checks a safetensors file: every defect of the format, a checksum mismatch and a
    /// non-finite value is a <see cref="CheckpointFormatException"/> naming the file and the tensor.
    /// </summary>
    public static SafetensorsContent Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new CheckpointFormatException(path, "is a folder, not a safetensors file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileBytes = file.Length;
        var header = TensorFileLayout.ReadHeaderBytes(path, file);
        var (metadata, entries) = SafetensorsHeader.Parse(path, header);

        long dataStart = 8 + header.LongLength;
        long dataBytes;
        try
        {
            dataBytes = TensorFileLayout.CheckTiling(path, entries);
        }
        catch (CheckpointFormatException) when (entries.Any(x => x.End > fileBytes - dataStart))
        {
            // The tensors do not tile and one's offsets point past the data region: that tensor is the
            // one whose offsets are wrong, not the neighbour beside the gap it left.
            var e = entries.First(x => x.End > fileBytes - dataStart);
            throw Fail(path, $"tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}] beyond the {fileBytes - dataStart}-byte data region");
        }
        TensorFileLayout.CheckDataRegion(path, fileBytes - dataStart, dataBytes);

        CheckHeader(path, metadata, entries);
        var checksums = Checksums(path, metadata);
        if (checksums?.Keys.FirstOrDefault(name => !entries.Any(e => e.Name == name)) is { } orphan)
            throw Fail(path, $"has a checksum for tensor '{orphan}' in __metadata__['{ChecksumKey}'], which the file does not hold");
        var tensors = new List<(string Name, Tensor Tensor)>(entries.Count);
        foreach (var entry in entries)
        {
            file.Position = dataStart + entry.Begin;
            var bytes = new byte[entry.End - entry.Begin];
            file.ReadExactly(bytes);
            if (checksums is not null)
            {
                if (!checksums.TryGetValue(entry.Name, out uint expected))
                    throw Fail(path, $"tensor '{entry.Name}' has no checksum in __metadata__['{ChecksumKey}']");
                uint actual = Crc32.Compute(bytes);
                if (actual != expected)
                    throw Fail(path, $"tensor '{entry.Name}' fails its CRC-32 check (stored {expected:x8}, computed {actual:x8}): the file is damaged");
            }
            tensors.Add((entry.Name, entry.DType == DType.Float32
                ? FromBytes<float>(path, entry, bytes)
                : FromBytes<double>(path, entry, bytes)));
        }
        return new SafetensorsContent(tensors, metadata);
    }

    /// <summary>
    /// True unless the file's header is the older scratch-checkpoint one (a JSON object whose "format"
    /// is "scratch-checkpoint", whatever its whitespace); a file too damaged to tell counts as
    /// safetensors, so that the safetensors reader says what is wrong with it.
    /// </summary>
    public static bool IsSafetensors(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var header = JsonDocument.Parse(TensorFileLayout.ReadHeaderBytes(path, file));
            return !(header.RootElement.ValueKind == JsonValueKind.Object
                     && header.RootElement.TryGetProperty("format", out var format)
                     && format.ValueKind == JsonValueKind.String && format.GetString() == "scratch-checkpoint");
        }
        catch (Exception e) when (e is JsonException or CheckpointFormatException or ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// The header as its checksum sees it: every metadata entry but the header checksum, then every
    /// tensor's name, dtype, shape and offsets, each sorted by key, fields separated by NUL. Built from
    /// parsed values, so it is the same whatever whitespace or key order a writer chose.
    /// </summary>
    public static string CanonicalHeader(IReadOnlyDictionary<string, string> metadata, IEnumerable<TensorEntry> tensors)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in metadata.Where(m => m.Key != HeaderChecksumKey).OrderBy(m => m.Key, StringComparer.Ordinal))
            sb.Append(key).Append('\0').Append(value).Append('\0');
        foreach (var t in tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
            sb.Append(t.Name).Append('\0').Append(t.DType.Name()).Append('\0').AppendJoin(',', t.Shape).Append('\0')
              .Append(t.Begin.ToString(CultureInfo.InvariantCulture)).Append(',').Append(t.End.ToString(CultureInfo.InvariantCulture)).Append('\0');
        return sb.ToString();
    }

    // A file that says Scratch wrote it must carry its checksums, and its header must match its own.
    // Version 1 and 2 files (before header checksums) need only the tensors' checksums.
    private static void CheckHeader(string path, IReadOnlyDictionary<string, string> metadata, List<TensorEntry> entries)
    {
        if (!metadata.Keys.Any(k => k.StartsWith("scratch.", StringComparison.Ordinal))) return;   // another writer's file
        if (!metadata.ContainsKey(ChecksumKey))
            throw Fail(path, $"says Scratch wrote it but has no tensor checksums (__metadata__['{ChecksumKey}']): the file was altered");
        bool before3 = metadata.TryGetValue("scratch.format_version", out var version) && version is "1" or "2";
        if (before3 && !metadata.ContainsKey(HeaderChecksumKey)) return;
        if (!metadata.TryGetValue(HeaderChecksumKey, out var stored))
            throw Fail(path, $"says Scratch wrote it but has no header checksum (__metadata__['{HeaderChecksumKey}']): the file was altered");
        uint actual = Crc32.Compute(Encoding.UTF8.GetBytes(CanonicalHeader(metadata, entries)));
        // Compared as the text the writer wrote (8 lower-case hex digits), so even a flipped letter case is caught.
        if (stored != actual.ToString("x8", CultureInfo.InvariantCulture))
            throw Fail(path, $"header fails its CRC-32 check (stored {stored}, computed {actual:x8}): the metadata or a tensor's entry was altered");
    }

    // name → CRC-32 from the metadata, or null when the writer recorded none.
    private static Dictionary<string, uint>? Checksums(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ChecksumKey, out var text)) return null;
        try
        {
            var map = JsonNode.Parse(text)!.AsObject();
            return map.ToDictionary(p => p.Key, p => uint.Parse(p.Value!.GetValue<string>(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or NullReferenceException)
        {
            throw Fail(path, $"__metadata__['{ChecksumKey}'] is not a JSON object of 8-hex-digit checksums");
        }
    }

    // The elements as a tensor; NaN and ±∞ are refused by name (a run that diverged, or a damaged file).
    private static Tensor FromBytes<T>(string path, TensorEntry entry, byte[] bytes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        int first = -1, count = 0;
        for (int i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i]) && count++ == 0) first = i;
        if (count > 0)
            throw Fail(path, $"tensor '{entry.Name}' holds {count} non-finite value(s), the first {values[first]} at element {first} of {Shapes.Format(entry.Shape)}; the run that wrote it had diverged or the file is damaged");
        return values is float[] floats ? Tensor.FromArray(floats, entry.Shape) : Tensor.FromArray((double[])(object)values, entry.Shape);
    }

    private sealed record Encoded(string Name, DType DType, int[] Shape, byte[] Bytes);

    // The tensor's elements, little-endian, row-major.
    private static Encoded ToBytes(string name, Tensor t)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var host = t.To(Device.Cpu).Contiguous();
        byte[] bytes = host.DType == DType.Float32
            ? MemoryMarshal.AsBytes(host.ToArray<float>().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(host.ToArray<double>().AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors: big-endian hosts are not supported");
        return new Encoded(name, host.DType, host.ShapeArray, bytes);
    }

    private static CheckpointFormatException Fail(string path, string problem) => new(path, problem);
}
