namespace Scratch.Cli.OldCheckpoints;

/// <summary>
/// One named, shaped array of an old scratch-checkpoint file (the engine itself reads tensors). Exactly
/// one of <see cref="Float32"/> and <see cref="Float64"/> is set, matching <see cref="DType"/>.
/// </summary>
public sealed class NamedArray
{
    public string Name { get; }
    /// <summary>Dimensions, outermost first; [] is a scalar (one element).</summary>
    public int[] Shape { get; }
    public DType DType { get; }
    public float[]? Float32 { get; }
    public double[]? Float64 { get; }

    public NamedArray(string name, int[] shape, float[] data)
        : this(name, shape, DType.Float32, data?.Length ?? throw new ArgumentNullException(nameof(data)))
    {
        Float32 = data;
    }

    public NamedArray(string name, int[] shape, double[] data)
        : this(name, shape, DType.Float64, data?.Length ?? throw new ArgumentNullException(nameof(data)))
    {
        Float64 = data;
    }

    private NamedArray(string name, int[] shape, DType dtype, int length)
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
}
