namespace Scratch.Models.Checkpoints;

/// <summary>The element types a checkpoint stores, with their names in the file header.</summary>
public enum CheckpointDType
{
    Float32,
    Float64,
}

/// <summary>
/// One named, shaped array of a checkpoint: a parameter, a gradient moment, anything. Exactly
/// one of <see cref="Float32"/> and <see cref="Float64"/> is set, matching <see cref="DType"/>.
/// </summary>
public sealed class NamedArray
{
    public string Name { get; }
    /// <summary>Dimensions, outermost first; [] is a scalar (one element).</summary>
    public int[] Shape { get; }
    public CheckpointDType DType { get; }
    public float[]? Float32 { get; }
    public double[]? Float64 { get; }

    public NamedArray(string name, int[] shape, float[] data)
        : this(name, shape, CheckpointDType.Float32, data?.Length ?? throw new ArgumentNullException(nameof(data)))
    {
        Float32 = data;
    }

    public NamedArray(string name, int[] shape, double[] data)
        : this(name, shape, CheckpointDType.Float64, data?.Length ?? throw new ArgumentNullException(nameof(data)))
    {
        Float64 = data;
    }

    private NamedArray(string name, int[] shape, CheckpointDType dtype, int length)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name.Length == 0)
            throw new ArgumentException("NamedArray: the name is empty");
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"NamedArray '{name}': shape [{string.Join(", ", shape)}] has a negative dimension");
        }
        if (ElementCount(shape) != length)
            throw new ArgumentException($"NamedArray '{name}': shape [{string.Join(", ", shape)}] does not hold {length} elements");
        Name = name;
        Shape = (int[])shape.Clone();
        DType = dtype;
    }

    // Product of non-negative dims, saturating at long.MaxValue instead of overflowing.
    private static long ElementCount(int[] shape)
    {
        if (Array.IndexOf(shape, 0) >= 0)
            return 0;
        long product = 1;
        foreach (int d in shape)
            product = product > long.MaxValue / d ? long.MaxValue : product * d;
        return product;
    }

    /// <summary>Number of elements (product of the shape).</summary>
    public int Length => Float32?.Length ?? Float64!.Length;

    /// <summary>Bytes per element: 4 for float32, 8 for float64.</summary>
    public static int ElementSize(CheckpointDType dtype) => dtype == CheckpointDType.Float32 ? 4 : 8;

    /// <summary>The dtype's name in the header.</summary>
    public static string DTypeName(CheckpointDType dtype) => dtype == CheckpointDType.Float32 ? "float32" : "float64";
}
