using System.Buffers.Binary;
using System.IO.Compression;

namespace Scratch.Models.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST and Fashion-MNIST), raw or gzip.
/// </summary>
/// <remarks>
/// Layout: a 4-byte magic <c>00 00 TT DD</c> (TT = element type, 0x08 for unsigned byte;
/// DD = number of dimensions), then DD big-endian int32 sizes, then the data row-major.
/// Images are idx3 (count, rows, cols); labels are idx1 (count).
///
/// The header is untrusted: every declared size is checked against the bytes that are really
/// there before anything big is allocated, so a 1 KB file that claims 2^31 images fails at once.
/// A raw file's size is known up front; a gzip file's is not, so it is read in growing chunks,
/// never beyond the declared size, and an early end of stream is reported.
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    // DEFLATE's best case is a 258-byte match coded in about 2 bits, so no honest gzip file
    // expands by more than ~1032×. A header declaring more data than that is lying.
    private const long MaxDeflateExpansion = 1032;

    private const int FirstChunkBytes = 1 << 20;

    /// <summary>Reads an idx3 file of images: Dims = [count, rows, cols], rows and cols positive.</summary>
    public static IdxFile ReadImages(string path)
    {
        var file = Read(path, expectedDims: 3);
        if (file.Dims[1] == 0 || file.Dims[2] == 0)
            throw new IdxFormatException(path, $"declares images of {file.Dims[1]}×{file.Dims[2]}; rows and cols must be positive");
        return file;
    }

    /// <summary>Reads an idx1 file of labels, each in 0..classCount-1.</summary>
    public static IdxFile ReadLabels(string path, int classCount = 10)
    {
        if (classCount is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "class count must be in 1..256 for byte labels");
        var file = Read(path, expectedDims: 1);
        var labels = file.Data;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
                throw new IdxFormatException(path, $"label {i} is {labels[i]}, outside 0..{classCount - 1}");
        }
        return file;
    }

    /// <summary>Reads any unsigned-byte IDX file with the given number of dimensions.</summary>
    public static IdxFile Read(string path, int expectedDims)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (expectedDims is < 1 or > 255)
            throw new ArgumentOutOfRangeException(nameof(expectedDims), expectedDims, "an IDX file has 1..255 dimensions");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: IDX file not found", path);

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileBytes = file.Length;
        bool gzip = HasGzipMagic(file);
        file.Position = 0;
        try
        {
            if (!gzip)
                return ReadContent(path, file, fileBytes, gzip: false, expectedDims);
            using var inflated = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            return ReadContent(path, inflated, fileBytes, gzip: true, expectedDims);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"corrupt gzip data ({e.Message})", e);
        }
    }

    private static bool HasGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    // content: the IDX bytes (the file itself, or the gzip stream over it).
    private static IdxFile ReadContent(string path, Stream content, long fileBytes, bool gzip, int expectedDims)
    {
        string after = gzip ? " after decompression" : "";
        Span<byte> magic = stackalloc byte[4];
        int got = content.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new IdxFormatException(path, $"holds {got} bytes{after}, too short for the 4-byte IDX magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException(path, $"not an IDX file: magic bytes {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}, expected 00 00 08 {expectedDims:X2}");
        if (magic[2] != UnsignedByteType)
            throw new IdxFormatException(path, $"element type 0x{magic[2]:X2} is not supported; only 0x08 (unsigned byte)");
        if (magic[3] != expectedDims)
            throw new IdxFormatException(path, $"has {magic[3]} dimensions (magic 0x0000{magic[2]:X2}{magic[3]:X2}), expected {expectedDims} (images are idx3, labels idx1)");

        var sizeBytes = new byte[4 * expectedDims];
        got = content.ReadAtLeast(sizeBytes, sizeBytes.Length, throwOnEndOfStream: false);
        if (got < sizeBytes.Length)
            throw new IdxFormatException(path, $"ends inside the header: {expectedDims} dimension sizes need {sizeBytes.Length} bytes, found {got}");

        var dims = new int[expectedDims];
        for (int d = 0; d < expectedDims; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes.AsSpan(4 * d));
            if (size > int.MaxValue)
                throw new IdxFormatException(path, $"dimension {d} declares {size} entries, more than 2^31-1");
            dims[d] = (int)size;
        }
        long dataBytes = 1;
        foreach (int size in dims)
        {
            // Both factors are < 2^31, so the product cannot overflow a long before this check stops it.
            dataBytes *= size;
            if (dataBytes > Array.MaxLength)
                throw new IdxFormatException(path, $"declares {Describe(dims)}: more than the {Array.MaxLength} bytes one array can hold");
        }

        long headerBytes = 4 + sizeBytes.Length;
        string declared = $"declares {Describe(dims)} ({dataBytes} bytes)";
        if (!gzip)
        {
            long present = fileBytes - headerBytes;
            if (present < dataBytes)
                throw new IdxFormatException(path, $"{declared} but holds {present} bytes");
            if (present > dataBytes)
                throw new IdxFormatException(path, $"{declared} but holds {present} bytes: {present - dataBytes} trailing bytes after the data");
        }
        else if (dataBytes + headerBytes > fileBytes * MaxDeflateExpansion)
        {
            throw new IdxFormatException(path, $"{declared} but a gzip file of {fileBytes} bytes cannot expand to more than {fileBytes * MaxDeflateExpansion} bytes");
        }

        var data = ReadCapped(path, content, dataBytes, firstChunk: gzip ? FirstChunkBytes : dataBytes, declared, after);
        if (content.ReadByte() >= 0)
            throw new IdxFormatException(path, $"{declared} but has trailing bytes after the data{after}");
        return new IdxFile(path, dims, data);
    }

    // Reads exactly `count` bytes into a buffer that grows by doubling, so memory follows the
    // bytes actually delivered rather than what the header claims.
    private static byte[] ReadCapped(string path, Stream content, long count, long firstChunk, string declared, string after)
    {
        var buffer = new byte[Math.Min(count, firstChunk)];
        int filled = 0;
        while (filled < count)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
            int n = content.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
                throw new IdxFormatException(path, $"{declared} but holds {filled} bytes{after}");
            filled += n;
        }
        return buffer;
    }

    private static string Describe(int[] dims) => dims.Length switch
    {
        3 => $"{dims[0]} images of {dims[1]}×{dims[2]}",
        1 => $"{dims[0]} labels",
        _ => "an array of " + string.Join("×", dims),
    };
}
