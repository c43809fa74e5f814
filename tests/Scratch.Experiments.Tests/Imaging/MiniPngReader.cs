using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Scratch.Experiments.Tests.Imaging;

/// <summary>
/// Just enough of a PNG decoder to check the encoder independently: walks the chunks,
/// recomputes each CRC with its own bitwise (table-free) CRC-32, inflates the IDAT data and
/// undoes filter type 0. Anything else is a test failure.
/// </summary>
internal static class MiniPngReader
{
    public sealed record Decoded(int Width, int Height, byte BitDepth, byte ColorType, byte Interlace, byte[] Pixels, List<string> ChunkTypes);

    public static Decoded Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(signature), "PNG signature");

        int pos = 8, width = 0, height = 0;
        byte depth = 0, color = 0, interlace = 0;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.That(crc, Is.EqualTo(BitwiseCrc32(png.AsSpan(pos + 4, 4 + length))), $"CRC of {type}");
            types.Add(type);
            if (type == "IHDR")
            {
                Assert.That(length, Is.EqualTo(13));
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (depth, color, interlace) = (data[8], data[9], data[12]);
                Assert.That((data[10], data[11]), Is.EqualTo(((byte)0, (byte)0)), "compression and filter method");
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            pos += 12 + length;
        }
        Assert.That(pos, Is.EqualTo(png.Length), "chunks end exactly at the end of the file");

        int channels = color == 2 ? 3 : 1;
        int stride = width * channels;
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var scanlines = raw.ToArray();
        Assert.That(scanlines.Length, Is.EqualTo(height * (stride + 1)), "inflated size");

        var pixels = new byte[height * stride];
        for (int row = 0; row < height; row++)
        {
            Assert.That(scanlines[row * (stride + 1)], Is.EqualTo(0), "filter type");
            Array.Copy(scanlines, row * (stride + 1) + 1, pixels, row * stride, stride);
        }
        return new Decoded(width, height, depth, color, interlace, pixels, types);
    }

    // The CRC-32 definition itself, one bit at a time: independent of the encoder's table.
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
