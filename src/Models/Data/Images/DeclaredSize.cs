using System.Buffers.Binary;

namespace Scratch.Models.Data;

/// <summary>
/// The width and height a PNG or JPEG file declares, read from its first bytes by our own few
/// lines, so the pixel limit is checked before the decoder sees the file at all. (stb refuses
/// some huge headers itself, but with "unknown image type", and not by our limit.)
/// </summary>
internal static class DeclaredSize
{
    /// <summary>PNG: the IHDR chunk, which must come first: (width, height), or null if it is not there.</summary>
    public static (long Width, long Height)? Png(Stream stream)
    {
        // 8-byte signature, then IHDR: length (4), "IHDR", width (4, big-endian), height (4).
        Span<byte> head = stackalloc byte[24];
        stream.Position = 0;
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length || !head[12..16].SequenceEqual("IHDR"u8))
            return null;
        return (BinaryPrimitives.ReadUInt32BigEndian(head[16..]), BinaryPrimitives.ReadUInt32BigEndian(head[20..]));
    }

    /// <summary>JPEG: the first start-of-frame segment's (width, height), walking the segments before it; null if there is none.</summary>
    public static (long Width, long Height)? Jpeg(Stream stream)
    {
        Span<byte> segment = stackalloc byte[7];
        stream.Position = 2; // after SOI (FF D8)
        while (true)
        {
            int b = stream.ReadByte();
            if (b != 0xFF) return null;
            int marker;
            do marker = stream.ReadByte(); while (marker == 0xFF); // fill bytes may repeat FF
            if (marker < 0 || marker is 0xD9 or 0xDA) return null; // end of image or of headers, and no frame yet
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue;   // markers without a length
            if (stream.ReadAtLeast(segment[..2], 2, throwOnEndOfStream: false) < 2) return null;
            int length = BinaryPrimitives.ReadUInt16BigEndian(segment);
            // SOF0..SOF15, except C4 (Huffman tables), C8 (reserved) and CC (arithmetic conditioning).
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                // precision (1), height (2), width (2)
                if (stream.ReadAtLeast(segment[2..7], 5, throwOnEndOfStream: false) < 5) return null;
                return (BinaryPrimitives.ReadUInt16BigEndian(segment[5..]), BinaryPrimitives.ReadUInt16BigEndian(segment[3..]));
            }
            if (length < 2 || stream.Position + length - 2 > stream.Length) return null;
            stream.Position += length - 2;
        }
    }
}
