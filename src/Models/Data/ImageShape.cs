namespace Scratch.Models.Data;

/// <summary>
/// The shape of one image: channels × height × width, as PyTorch lays a batch out (N, C, H, W).
/// C is 1 (grey) or 3 (RGB).
/// </summary>
/// <param name="Channels">1 for grey, 3 for red, green, blue.</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>One 28×28 grey digit: MNIST's shape.</summary>
    public static ImageShape Mnist => new(1, 28, 28);

    /// <summary>C·H·W: the values one image holds.</summary>
    public int Pixels => Channels * Height * Width;

    /// <summary>Throws naming the bad field when a size is not positive or C is not 1 or 3.</summary>
    public ImageShape Checked(string source)
    {
        if (Channels is not (1 or 3))
            throw new ArgumentException($"{source}: images must have 1 or 3 channels, not {Channels}");
        if (Height <= 0 || Width <= 0)
            throw new ArgumentException($"{source}: images of {Height}×{Width} pixels; both sides must be positive");
        if ((long)Channels * Height * Width > int.MaxValue / 4)
            throw new ArgumentException($"{source}: images of {this} are too large");
        return this;
    }

    /// <summary>"28×28 grey" or "64×48 RGB": the way a person names a picture's size.</summary>
    public override string ToString() => $"{Height}×{Width} {(Channels == 1 ? "grey" : Channels == 3 ? "RGB" : $"{Channels}-channel")}";
}
