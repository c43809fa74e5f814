using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Scratch.Cli.OldCheckpoints;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests.Convert;

/// <summary>Writes checkpoint files (format: <see cref="CheckpointFormat"/>).</summary>
public static class CheckpointWriter
{
    /// <summary>
    /// Writes <paramref name="arrays"/> (in the given order) and <paramref name="metadata"/> to
    /// <paramref name="path"/>, replacing any file there.
    /// </summary>
    /// <remarks>
    /// Crash-safe through <see cref="Scratch.Models.Files.AtomicFile"/>: a crash at any moment leaves either the
    /// old checkpoint or the new one, never half of one.
    /// </remarks>
    public static void Write(string path, JsonObject metadata, IEnumerable<NamedArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        byte[] header = BuildHeader(metadata, list);

        Scratch.Models.Files.AtomicFile.Write(path, file =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            file.Write(header);
            foreach (var array in list)
                WriteData(file, array);
        });
    }

    // The JSON header, UTF-8, padded with spaces (legal JSON whitespace) to the alignment.
    private static byte[] BuildHeader(JsonObject metadata, List<NamedArray> arrays)
    {
        var tensors = new JsonObject();
        long offset = 0;
        foreach (var array in arrays)
        {
            ArgumentNullException.ThrowIfNull(array, nameof(arrays));
            if (tensors.ContainsKey(array.Name))
                throw new ArgumentException($"CheckpointWriter: two arrays are named '{array.Name}'");
            long bytes = (long)array.Length * array.DType.ByteSize();
            var shape = new JsonArray();
            foreach (int d in array.Shape)
                shape.Add(d);
            tensors[array.Name] = new JsonObject
            {
                ["dtype"] = array.DType.Name(),
                ["shape"] = shape,
                ["offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var root = new JsonObject
        {
            ["format"] = CheckpointFormat.FormatName,
            ["version"] = CheckpointFormat.Version,
            ["metadata"] = metadata.DeepClone(),
            ["tensors"] = tensors,
        };
        var json = Encoding.UTF8.GetBytes(root.ToJsonString());
        int padded = (json.Length + CheckpointFormat.Alignment - 1) / CheckpointFormat.Alignment * CheckpointFormat.Alignment;
        if (padded > TensorFileLayout.MaxHeaderBytes)
            throw new ArgumentException($"CheckpointWriter: the header would be {padded} bytes, more than the {TensorFileLayout.MaxHeaderBytes} a reader accepts");
        var header = new byte[padded];
        json.CopyTo(header, 0);
        header.AsSpan(json.Length).Fill((byte)' ');
        return header;
    }

    private static void WriteData(Stream file, NamedArray array)
    {
        if (BitConverter.IsLittleEndian)
        {
            if (array.Float32 is { } f)
                file.Write(MemoryMarshal.AsBytes(f.AsSpan()));
            else
                file.Write(MemoryMarshal.AsBytes(array.Float64!.AsSpan()));
            return;
        }
        // Big-endian host: byte-swap each element, since the file is little-endian everywhere.
        Span<byte> word = stackalloc byte[8];
        if (array.Float32 is { } floats)
        {
            foreach (float v in floats)
            {
                BinaryPrimitives.WriteSingleLittleEndian(word, v);
                file.Write(word[..4]);
            }
        }
        else
        {
            foreach (double v in array.Float64!)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(word, v);
                file.Write(word);
            }
        }
    }
}
