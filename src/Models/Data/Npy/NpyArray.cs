namespace Scratch.Models.Data;

/// <summary>The element types <see cref="NpyFile"/> reads and writes.</summary>
public enum NpyDType
{
    /// <summary>Unsigned bytes: numpy's uint8, descr '|u1'. Images as they are stored.</summary>
    UInt8,
    /// <summary>Little-endian 32-bit floats: numpy's float32, descr '&lt;f4'.</summary>
    Float32,
}

/// <summary>
/// The contents of one .npy file: its shape, its element type and its elements in C order
/// (the last axis varies fastest). Exactly one of <see cref="UInt8"/> and <see cref="Float32"/>
/// is set, the one <see cref="DType"/> names.
/// </summary>
public sealed class NpyArray
{
    /// <summary>The array's shape, e.g. [N, H, W]; [] for a scalar.</summary>
    public int[] Shape { get; }
    /// <summary>The element type.</summary>
    public NpyDType DType { get; }
    /// <summary>The elements when <see cref="DType"/> is <see cref="NpyDType.UInt8"/>; else null.</summary>
    public byte[]? UInt8 { get; }
    /// <summary>The elements when <see cref="DType"/> is <see cref="NpyDType.Float32"/>; else null.</summary>
    public float[]? Float32 { get; }
    /// <summary>The number of elements: the product of <see cref="Shape"/>.</summary>
    public int Count => DType == NpyDType.UInt8 ? UInt8!.Length : Float32!.Length;

    /// <summary>A uint8 array of <paramref name="shape"/> (not copied).</summary>
    public NpyArray(int[] shape, byte[] data) : this(shape, NpyDType.UInt8, data.Length)
    {
        UInt8 = data;
    }

    /// <summary>A float32 array of <paramref name="shape"/> (not copied).</summary>
    public NpyArray(int[] shape, float[] data) : this(shape, NpyDType.Float32, data.Length)
    {
        Float32 = data;
    }

    private NpyArray(int[] shape, NpyDType dtype, int length)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"NpyArray: shape ({string.Join(", ", shape)}) has a negative size");
            count *= d;
            if (count > Array.MaxLength) throw new ArgumentException($"NpyArray: shape ({string.Join(", ", shape)}) is too large");
        }
        if (count != length)
            throw new ArgumentException($"NpyArray: shape ({string.Join(", ", shape)}) holds {count} elements but the data has {length}");
        Shape = shape;
        DType = dtype;
    }
}
