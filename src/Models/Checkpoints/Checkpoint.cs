using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// A checkpoint read back from disk: its metadata (model config, epoch, RNG state…) and its
/// named arrays. Format: <see cref="CheckpointFormat"/>; writer: <see cref="CheckpointWriter"/>.
/// </summary>
public sealed class Checkpoint
{
    public string Path { get; }
    public JsonObject Metadata { get; }
    /// <summary>The arrays in file order.</summary>
    public IReadOnlyList<NamedArray> Arrays { get; }
    public IReadOnlyDictionary<string, NamedArray> Tensors { get; }

    private Checkpoint(string path, JsonObject metadata, List<NamedArray> arrays)
    {
        Path = path;
        Metadata = metadata;
        Arrays = arrays;
        Tensors = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The array called <paramref name="name"/>; a missing name is reported with the file.</summary>
    public NamedArray Get(string name) =>
        Tensors.TryGetValue(name, out var array)
            ? array
            : throw new KeyNotFoundException($"{Path}: no tensor named '{name}' (has: {string.Join(", ", Tensors.Keys)})");

    /// <summary>
    /// Reads and fully validates a checkpoint. Any malformed file gives a
    /// <see cref="CheckpointFormatException"/> naming the file and the problem.
    /// </summary>
    public static Checkpoint Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: checkpoint not found", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileBytes = file.Length;

        var header = ReadHeaderBytes(path, file);
        var (metadata, entries) = CheckpointHeader.Parse(path, header);

        long dataBytes = CheckTiling(path, entries);
        long dataStart = 8 + header.LongLength;
        CheckDataRegion(path, fileBytes - dataStart, dataBytes);

        var arrays = new List<NamedArray>(entries.Count);
        foreach (var entry in entries) // sorted by offset, so this reads the file front to back
        {
            file.Position = dataStart + entry.Begin;
            arrays.Add(ReadArray(file, entry));
        }
        return new Checkpoint(path, metadata, arrays);
    }

    // Tensors, sorted by offset, must tile [0, end) exactly: no overlap (two names sharing
    // bytes), no gap (bytes nobody owns). Returns the data size.
    internal static long CheckTiling(string path, List<TensorEntry> entries)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long cursor = 0;
        string previous = "the start of the data";
        foreach (var e in entries)
        {
            if (e.Begin < cursor)
                throw Fail(path, $"tensor '{e.Name}' at [{e.Begin}, {e.End}] overlaps {previous}, which ends at {cursor}");
            if (e.Begin > cursor)
                throw Fail(path, $"tensor '{e.Name}' starts at {e.Begin}, leaving a gap of {e.Begin - cursor} bytes after {previous}");
            cursor = e.End;
            previous = $"tensor '{e.Name}'";
        }
        return cursor;
    }

    private static NamedArray ReadArray(FileStream file, TensorEntry entry)
    {
        if (entry.DType == CheckpointDType.Float32)
        {
            var data = new float[entry.Length];
            file.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                var words = MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(words, words);
            }
            return new NamedArray(entry.Name, entry.Shape, data);
        }
        else
        {
            var data = new double[entry.Length];
            file.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                var words = MemoryMarshal.Cast<double, long>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(words, words);
            }
            return new NamedArray(entry.Name, entry.Shape, data);
        }
    }

    /// <summary>
    /// The framing both formats share (the old one and safetensors): an 8-byte little-endian header
    /// length N, checked against the cap and the file's size, then the N header bytes.
    /// </summary>
    internal static byte[] ReadHeaderBytes(string path, FileStream file)
    {
        long fileBytes = file.Length;
        if (fileBytes < 8)
            throw Fail(path, $"holds {fileBytes} bytes, too short for the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)CheckpointFormat.MaxHeaderBytes)
            throw Fail(path, $"declares a header of {headerLength} bytes, more than the {CheckpointFormat.MaxHeaderBytes}-byte limit");
        if (headerLength > (ulong)(fileBytes - 8))
            throw Fail(path, $"declares a header of {headerLength} bytes but only {fileBytes - 8} bytes follow the length");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        return header;
    }

    /// <summary>The data region must be exactly the bytes the header places: no more, no less.</summary>
    internal static void CheckDataRegion(string path, long present, long dataBytes)
    {
        if (present < dataBytes)
            throw Fail(path, $"data region is truncated: the header places {dataBytes} bytes of tensors but the file holds {present}");
        if (present > dataBytes)
            throw Fail(path, $"data region is over-long: {present - dataBytes} bytes follow the last tensor (which ends at {dataBytes})");
    }

    private static CheckpointFormatException Fail(string path, string problem) => new(path, problem);
}
