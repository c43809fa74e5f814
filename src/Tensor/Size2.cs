namespace Scratch;

/// <summary>
/// A (height, width) pair for kernel sizes, strides, paddings and dilations, as PyTorch's
/// <c>int or (int, int)</c> arguments: <c>stride: 2</c> means (2, 2), <c>padding: (1, 0)</c> means
/// one row of padding and no column padding.
/// </summary>
public readonly record struct Size2(int H, int W)
{
    /// <summary>The same size along both axes: <c>Size2 s = 3;</c> is (3, 3).</summary>
    public static implicit operator Size2(int both) => new(both, both);

    /// <summary>A tuple read as (height, width): <c>Size2 s = (1, 0);</c> is one row and no column.</summary>
    public static implicit operator Size2((int H, int W) pair) => new(pair.H, pair.W);

    /// <summary>"3" when both sizes agree, otherwise "(3, 1)", as in error messages.</summary>
    public override string ToString() => H == W ? $"{H}" : $"({H}, {W})";
}
