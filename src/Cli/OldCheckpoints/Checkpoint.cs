using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.OldCheckpoints;

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

        var header = TensorFileLayout.ReadHeaderBytes(path, file);
        var (metadata, entries) = CheckpointHeader.Parse(path, header);

        long dataBytes = TensorFileLayout.CheckTiling(path, entries);
        long dataStart = 8 + header.LongLength;
        TensorFileLayout.CheckDataRegion(path, fileBytes - dataStart, dataBytes);

        var arrays = new List<NamedArray>(entries.Count);
        foreach (var entry in entries) // sorted by offset, so this reads the file front to back
        {
            file.Position = dataStart + entry.Begin;
            arrays.Add(ReadArray(file, entry));
        }
        return new Checkpoint(path, metadata, arrays);
    }

    private static NamedArray ReadArray(FileStream file, TensorEntry entry)
    {
        if (entry.DType == DType.Float32)
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

    private static CheckpointFormatException Fail(string path, string problem) => new(path, problem);
}
