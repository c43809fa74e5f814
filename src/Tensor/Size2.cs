namespace Scratch;

/// <summary>
/// A (height, width) pair for kernel sizes, strides, paddings and dilations, as PyTorch's
/// <c>int or (int, int)</c> arguments: <c>stride: 2</c> means (2, 2), <c>padding: (1, 0)</c> means
/// one row of padding and no column padding.
/// </summary>
public readonly record struct Size2(int H, int W)
{
    public static implicit operator Size2(int both) => new(both, both);

    public static implicit operator Size2((int H, int W) pair) => new(pair.H, pair.W);

    public override string ToString() => H == W ? $"{H}" : $"({H}, {W})";
}
