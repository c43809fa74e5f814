using System.Buffers.Binary;

namespace Scratch.Models.Checkpoints;

/// <summary>One tensor's entry in a file's header: where its bytes are and how to read them.</summary>
public readonly record struct TensorEntry(string Name, DType DType, int[] Shape, int Length, long Begin, long End);

/// <summary>
/// The framing safetensors shares with Scratch's older scratch-checkpoint format: an 8-byte
/// little-endian header length N, N bytes of JSON header, then the tensors' bytes, which must tile
/// the data region exactly. Every check names the file and what is wrong; nothing read from the
/// file is trusted before it is checked (a corrupt length could otherwise ask for gigabytes).
/// </summary>
public static class TensorFileLayout
{
    /// <summary>A header bigger than this is refused before it is read: real headers are a few KB.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Reads the header length, checked against the cap and the file's size, then the header's bytes.</summary>
    public static byte[] ReadHeaderBytes(string path, FileStream file)
    {
        long fileBytes = file.Length;
        if (fileBytes < 8)
            throw Fail(path, $"holds {fileBytes} bytes, too short for the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)MaxHeaderBytes)
            throw Fail(path, $"declares a header of {headerLength} bytes, more than the {MaxHeaderBytes}-byte limit");
        if (headerLength > (ulong)(fileBytes - 8))
            throw Fail(path, $"declares a header of {headerLength} bytes but only {fileBytes - 8} bytes follow the length");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        return header;
    }

    /// <summary>
    /// Tensors, sorted by offset, must tile [0, end) exactly: no overlap (two names sharing bytes),
    /// no gap (bytes nobody owns). Sorts <paramref name="entries"/> and returns the data size.
    /// </summary>
    public static long CheckTiling(string path, List<TensorEntry> entries)
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

    /// <summary>The data region must be exactly the bytes the header places: no more, no less.</summary>
    public static void CheckDataRegion(string path, long present, long dataBytes)
    {
        if (present < dataBytes)
            throw Fail(path, $"data region is truncated: the header places {dataBytes} bytes of tensors but the file holds {present}");
        if (present > dataBytes)
            throw Fail(path, $"data region is over-long: {present - dataBytes} bytes follow the last tensor (which ends at {dataBytes})");
    }

    private static CheckpointFormatException Fail(string path, string problem) => new(path, problem);
}
