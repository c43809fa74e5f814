using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Scratch.Models.Files;

namespace Scratch.Models.Data;

/// <summary>
/// Reads and writes NumPy's .npy files of uint8 or float32, the format of <c>np.save</c>.
/// </summary>
/// <remarks>
/// Layout: the magic <c>\x93NUMPY</c>, a version byte pair (1.0, 2.0 or 3.0), the header's length
/// (2 bytes little-endian in 1.0, 4 in 2.0 and 3.0), the header (a Python dict literal, see
/// <see cref="NpyHeader"/>; Latin-1, or UTF-8 in 3.0), then the elements in C order.
///
/// The header is untrusted: the element count it declares must match the bytes the file really
/// holds before anything is allocated, so a 100-byte file that claims 10^12 elements fails at once.
/// </remarks>
public static class NpyFile
{
    /// <summary>The six bytes every .npy file starts with.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // numpy itself refuses headers over 10,000 bytes unless told otherwise; anything this large is not a header.
    private const int MaxHeaderBytes = 100_000;

    /// <summary>Reads a .npy file of uint8 ('|u1') or little-endian float32 ('&lt;f4') in C order.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The file is not a .npy file, or its header names another dtype, Fortran order, or a shape its length does not hold.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: .npy file not found", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (header, dataOffset) = ReadHeader(path, file);
        var fields = NpyHeader.Parse(path, header);

        NpyDType dtype = DType(path, fields.Descr);
        if (fields.FortranOrder)
            throw new DataFormatException(path, "header field 'fortran_order' is True; only C-ordered arrays are read (save np.ascontiguousarray(a))");
        int[] shape = Shape(path, fields.Shape);
        long count = shape.Aggregate(1L, (product, d) => product * d); // Shape() bounded it by Array.MaxLength
        long itemBytes = dtype == NpyDType.UInt8 ? 1 : 4;
        long present = file.Length - dataOffset;
        if (present != count * itemBytes)
        {
            throw new DataFormatException(path,
                $"header field 'shape' ({string.Join(", ", shape)}) declares {count} elements of {Name(dtype)} ({count * itemBytes} bytes) but the file holds {present} bytes of data");
        }

        file.Position = dataOffset;
        if (dtype == NpyDType.UInt8)
        {
            var bytes = new byte[count];
            file.ReadExactly(bytes);
            return new NpyArray(shape, bytes);
        }
        var floats = new float[count];
        file.ReadExactly(MemoryMarshal.AsBytes(floats.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            var bits = MemoryMarshal.Cast<float, int>(floats.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
        return new NpyArray(shape, floats);
    }

    /// <summary>Writes <paramref name="data"/> as a uint8 .npy file of <paramref name="shape"/> (version 1.0, C order), atomically.</summary>
    /// <exception cref="ArgumentException">The shape's element count is not <paramref name="data"/>'s length.</exception>
    public static void WriteUInt8(string path, byte[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteUInt8(path, shape, [data]);
    }

    /// <summary>
    /// Writes <paramref name="parts"/>, one after another, as one uint8 array of <paramref name="shape"/>:
    /// a train and a test split saved as one file without first joining them in memory.
    /// </summary>
    internal static void WriteUInt8(string path, int[] shape, IReadOnlyList<byte[]> parts)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = shape.Aggregate(1L, (product, d) => product * d);
        long length = parts.Sum(p => (long)p.Length);
        if (shape.Any(d => d < 0) || count != length)
            throw new ArgumentException($"NpyFile.WriteUInt8: shape ({string.Join(", ", shape)}) does not hold the {length} bytes given");
        var header = NpyHeader.Format("|u1", shape);
        AtomicFile.Write(path, s =>
        {
            s.Write(header);
            foreach (var part in parts) s.Write(part);
        });
    }

    /// <summary>Writes <paramref name="data"/> as a little-endian float32 .npy file of <paramref name="shape"/> (version 1.0, C order), atomically.</summary>
    /// <exception cref="ArgumentException">The shape's element count is not <paramref name="data"/>'s length.</exception>
    public static void WriteFloat32(string path, float[] data, int[] shape)
    {
        var array = new NpyArray(shape, data);
        var header = NpyHeader.Format("<f4", array.Shape);
        AtomicFile.Write(path, s =>
        {
            s.Write(header);
            if (BitConverter.IsLittleEndian)
            {
                s.Write(MemoryMarshal.AsBytes(data.AsSpan()));
                return;
            }
            var bits = MemoryMarshal.Cast<float, int>(data.AsSpan()).ToArray();
            BinaryPrimitives.ReverseEndianness(bits, bits);
            s.Write(MemoryMarshal.AsBytes(bits.AsSpan()));
        });
    }

    // → (the header text, the offset of the first element).
    private static (string Header, long DataOffset) ReadHeader(string path, FileStream file)
    {
        Span<byte> preamble = stackalloc byte[12];
        int got = file.ReadAtLeast(preamble[..8], 8, throwOnEndOfStream: false);
        if (got < 8 || !preamble[..6].SequenceEqual(Magic))
            throw new DataFormatException(path, "not a .npy file: it does not start with the magic \\x93NUMPY");
        int major = preamble[6], minor = preamble[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            throw new DataFormatException(path, $".npy version {major}.{minor} is not supported; versions 1.0, 2.0 and 3.0 are");

        int lengthBytes = major == 1 ? 2 : 4;
        if (file.ReadAtLeast(preamble.Slice(8, lengthBytes), lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new DataFormatException(path, "ends inside the header length");
        long headerBytes = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        long dataOffset = 8 + lengthBytes + headerBytes;
        if (headerBytes > MaxHeaderBytes)
            throw new DataFormatException(path, $"declares a header of {headerBytes} bytes; no .npy header is over {MaxHeaderBytes}");
        if (dataOffset > file.Length)
            throw new DataFormatException(path, $"declares a header of {headerBytes} bytes but the file ends after {file.Length - 8 - lengthBytes}");

        var text = new byte[headerBytes];
        file.ReadExactly(text);
        // Version 3.0 exists only to allow UTF-8 field names; 1.0 and 2.0 are Latin-1.
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        return (encoding.GetString(text), dataOffset);
    }

    private static NpyDType DType(string path, string descr) => descr switch
    {
        // A byte has no byte order, so numpy writes '|'; other writers use '<' or none.
        "|u1" or "<u1" or ">u1" or "=u1" or "u1" => NpyDType.UInt8,
        "<f4" => NpyDType.Float32,
        ">f4" => throw new DataFormatException(path, "header field 'descr' is '>f4', big-endian float32; only little-endian '<f4' is read (save a.astype('<f4'))"),
        _ => throw new DataFormatException(path, $"header field 'descr' is '{descr}'; only uint8 ('|u1') and float32 ('<f4') are read (save a.astype(np.uint8) or a.astype(np.float32))"),
    };

    // Sizes as ints, each checked, and their product bounded before any allocation.
    private static int[] Shape(string path, long[] declared)
    {
        string shown = "(" + string.Join(", ", declared) + ")";
        var shape = new int[declared.Length];
        long count = 1;
        for (int axis = 0; axis < declared.Length; axis++)
        {
            long d = declared[axis];
            if (d < 0)
                throw new DataFormatException(path, $"header field 'shape' {shown} has the negative size {d} on axis {axis}");
            if (d > int.MaxValue)
                throw new DataFormatException(path, $"header field 'shape' {shown} has the size {d} on axis {axis}, more than 2^31-1");
            shape[axis] = (int)d;
            // Both factors are < 2^31 while count ≤ Array.MaxLength, so the product cannot overflow a long.
            count *= d;
            if (count > Array.MaxLength)
                throw new DataFormatException(path, $"header field 'shape' {shown} declares more elements than one array can hold");
        }
        return shape;
    }

    private static string Name(NpyDType dtype) => dtype == NpyDType.UInt8 ? "uint8" : "float32";
}
