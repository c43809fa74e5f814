using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Scratch.Models.Files;

namespace Scratch.Models.Tests.Data;

/// <summary>
/// A tiny PNG encoder for the decoding tests: every colour type (0 grey, 2 RGB, 3 palette,
/// 4 grey+alpha, 6 RGBA), bit depth 8 or 16, filter 0, no interlace. Writing the files here lets
/// each test state exactly which samples the decoder must return.
/// </summary>
internal static class TestPng
{
    public const int Grey = 0, Rgb = 2, Palette = 3, GreyAlpha = 4, Rgba = 6;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// samples: (height, width, channels) row-major, channels by colour type (1, 3, 1 = palette
    /// index, 2, 4); each 0..255, or 0..65535 when <paramref name="bitDepth"/> is 16.
    /// palette: RGB triples; transparency: a tRNS chunk (one alpha per palette entry).
    /// </summary>
    public static byte[] Encode(int width, int height, int colourType, int[] samples, int bitDepth = 8, byte[]? palette = null, byte[]? transparency = null)
    {
        int channels = colourType switch { Grey => 1, Rgb => 3, Palette => 1, GreyAlpha => 2, Rgba => 4, _ => throw new ArgumentException("colour type") };
        if (samples.Length != width * height * channels) throw new ArgumentException($"{samples.Length} samples for {width}×{height}×{channels}");
        int bytesPerSample = bitDepth / 8;

        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        Chunk(png, "IHDR", header);
        if (palette != null) Chunk(png, "PLTE", palette);
        if (transparency != null) Chunk(png, "tRNS", transparency);

        var raw = new MemoryStream();
        int stride = width * channels * bytesPerSample;
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (int k = 0; k < width * channels; k++)
            {
                int v = samples[y * width * channels + k];
                if (bytesPerSample == 2) raw.WriteByte((byte)(v >> 8)); // big-endian, as PNG stores 16-bit samples
                raw.WriteByte((byte)v);
            }
        }
        Chunk(png, "IDAT", Zlib(raw.ToArray()));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG whose header declares <paramref name="width"/>×<paramref name="height"/> RGB but whose data is a few bytes: a decompression bomb's header.</summary>
    public static byte[] HeaderOnly(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = Rgb;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", Zlib(new byte[16]));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>An 8-bit grey PNG of <paramref name="width"/>×<paramref name="height"/>, every pixel <paramref name="value"/>.</summary>
    public static byte[] Flat(int width, int height, int value = 128) =>
        Encode(width, height, Grey, Enumerable.Repeat(value, width * height).ToArray());

    /// <summary>An 8-bit RGB PNG of one colour.</summary>
    public static byte[] FlatRgb(int width, int height, int r, int g, int b) =>
        Encode(width, height, Rgb, Enumerable.Range(0, width * height).SelectMany(_ => new[] { r, g, b }).ToArray());

    private static byte[] Zlib(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(data);
        return compressed.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var word = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data)));
        png.Write(word);
    }
}
