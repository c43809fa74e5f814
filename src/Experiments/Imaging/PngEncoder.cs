using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

using Scratch.Models.Files;

namespace Scratch.Experiments.Imaging;

/// <summary>
/// Writes 8-bit greyscale or RGB PNG files with nothing but the BCL.
/// </summary>
/// <remarks>
/// A PNG is an 8-byte signature and a list of chunks, each: length (4 bytes, big-endian), type
/// (4 ASCII letters), data, CRC-32 of type+data. Three chunks suffice:
/// IHDR (size, bit depth 8, colour type 0 = grey or 2 = RGB, no interlace), IDAT (the zlib
/// stream of the scanlines, each prefixed with its filter type byte; 0 = none here, which
/// keeps the encoder trivially correct), IEND. ZLibStream supplies the zlib header and Adler-32.
/// </remarks>
public static class PngEncoder
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(string path, Image8 image) => AtomicFile.WriteAllBytes(path, Encode(image));

    public static byte[] Encode(Image8 image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;                                   // bit depth
        header[9] = image.Channels == 1 ? (byte)0 : (byte)2; // colour type: grey or RGB
        header[10] = 0;                                  // compression: deflate
        header[11] = 0;                                  // filter method: adaptive (per-row type byte)
        header[12] = 0;                                  // no interlace
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", CompressScanlines(image));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] CompressScanlines(Image8 image)
    {
        int stride = image.Width * image.Channels;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int row = 0; row < image.Height; row++)
            {
                zlib.WriteByte(0); // filter type 0: the row's bytes as they are
                zlib.Write(image.Pixels, row * stride, stride);
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        Span<byte> word = stackalloc byte[4];

        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(typeBytes);
        png.Write(data);
        uint crc = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }
}
