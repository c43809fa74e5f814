namespace Scratch.Models.Data;

/// <summary>How <see cref="DataSource.Load"/> turns what it finds into images of one shape.</summary>
public sealed record DataOptions
{
    /// <summary>The holdout taken as the test split when the data has none (an image folder without test/, a .npy): 0.2, as a seeded shuffle.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>
    /// The most pixels (height × width) one image may declare, checked from its header before any
    /// pixel is allocated: 50 megapixels (an 8K photo is 33), so a PNG that claims 60000×60000 is
    /// refused instead of asking for 14 GB.
    /// </summary>
    public const long DefaultPixelLimit = 50_000_000;

    /// <summary>Resize every image to this height × width (centre-crop to its aspect, then area/bilinear resample); null keeps the sizes found, which must then agree.</summary>
    public (int Height, int Width)? ImageSize { get; init; }

    /// <summary>1 (grey: ITU-R BT.601 luma) or 3 (RGB; grey images are repeated); null keeps what the data has (an image folder: 3 if any image has colour, else 1).</summary>
    public int? Channels { get; init; }

    /// <summary>The fraction of the images held out as the test split when the data has no test split.</summary>
    public double TestFraction { get; init; } = DefaultTestFraction;

    /// <summary>The seed of that holdout's shuffle.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Skip images that cannot be used (and count them) instead of refusing the whole folder.</summary>
    public bool SkipBad { get; init; }

    /// <summary>See <see cref="DefaultPixelLimit"/>.</summary>
    public long PixelLimit { get; init; } = DefaultPixelLimit;

    /// <summary>A folder for decoded image folders (an .npy per fingerprint), so a second run skips decoding; null: no cache.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Progress lines ("decoded 12,000 images at 9,800 images/s"); null: silent.</summary>
    public Action<string>? Log { get; init; }
}
