namespace Scratch.Models.Data;

/// <summary>The checks of <see cref="DataOptions"/> every loader makes before reading a file.</summary>
internal static class DataOptionsCheck
{
    /// <summary>Throws naming the option when one is out of range.</summary>
    /// <exception cref="ArgumentException">Channels is not 1 or 3, a size is not positive, the test fraction is outside (0, 1), or the pixel limit is not positive.</exception>
    public static void Check(DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Channels is { } c && c is not (1 or 3))
            throw new ArgumentException($"DataOptions.Channels is {c}; images have 1 (grey) or 3 (RGB) channels");
        if (options.ImageSize is { } s && (s.Height <= 0 || s.Width <= 0))
            throw new ArgumentException($"DataOptions.ImageSize is {s.Height}×{s.Width}; both sides must be positive");
        if (options.ImageSize is { } big && (long)big.Height * big.Width * 3 > int.MaxValue / 4)
            throw new ArgumentException($"DataOptions.ImageSize is {big.Height}×{big.Width}, too large for one image");
        if (options.PixelLimit <= 0)
            throw new ArgumentException($"DataOptions.PixelLimit is {options.PixelLimit}; it must be positive");
        Holdout.CheckFraction(options.TestFraction);
    }
}
