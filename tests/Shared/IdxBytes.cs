using System.Buffers.Binary;
using System.IO.Compression;

namespace Scratch.Testing;

// Builds IDX files byte by byte, so each test states exactly what is in the file.
internal static class IdxBytes
{
    /// <summary>Magic 00 00 type ndims, then big-endian sizes, then data.</summary>
    public static byte[] Build(uint[] dims, byte[] data, byte type = 0x08, int? declaredDims = null)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)(declaredDims ?? dims.Length) };
        var word = new byte[4];
        foreach (uint d in dims)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, d);
            bytes.AddRange(word);
        }
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal))
            gz.Write(raw);
        return output.ToArray();
    }

    public static byte[] Images(int count, int rows, int cols, int seed = 1)
    {
        var data = new byte[count * rows * cols];
        new Random(seed).NextBytes(data);
        return Build([(uint)count, (uint)rows, (uint)cols], data);
    }

    public static byte[] Labels(params byte[] labels) => Build([(uint)labels.Length], labels);
}
