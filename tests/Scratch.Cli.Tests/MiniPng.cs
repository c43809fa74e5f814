using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Scratch.Cli.Tests;

/// <summary>
/// Enough of a PNG reader to check a written file independently of the encoder: the signature,
/// the IHDR size, and that the IDAT data inflates to the right number of scanline bytes.
/// </summary>
internal static class MiniPng
{
    public static (int Width, int Height) CheckAndGetSize(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(signature), "PNG signature");
        Assert.That(Encoding.ASCII.GetString(png, 12, 4), Is.EqualTo("IHDR"), "first chunk");
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        byte colorType = png[25];
        int channels = colorType == 2 ? 3 : 1;

        var idat = new MemoryStream();
        int pos = 8;
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (Encoding.ASCII.GetString(png, pos + 4, 4) == "IDAT") idat.Write(png, pos + 8, length);
            pos += 12 + length;
        }
        Assert.That(pos, Is.EqualTo(png.Length), "chunks end at the end of the file");
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        Assert.That(raw.Length, Is.EqualTo((long)height * (width * channels + 1)), "inflated scanlines");
        return (width, height);
    }
}
