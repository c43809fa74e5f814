using Scratch.Models.Autoencoders;

namespace Scratch.Models.Data;

/// <summary>
/// Whether a model fits a data set's images, said in pictures ("expects 28×28") rather than in the
/// matrix shapes a mismatch would otherwise surface as, deep inside the first layer.
/// </summary>
public static class ImageSizes
{
    /// <summary>Throws naming the model's image size and the data's when they differ.</summary>
    public static void Check(AutoencoderConfig config, MnistSplit split, string source)
    {
        if (split.PixelsPerImage == config.InputSize) return;
        throw new ArgumentException(
            $"this model expects {Describe(config.InputSize)} but {source} holds {split.Rows}×{split.Cols} images ({split.PixelsPerImage} pixels)");
    }

    /// <summary>"28×28 images (784 pixels)", or "images of 700 pixels" when the count is not a square.</summary>
    public static string Describe(int pixels)
    {
        int side = (int)Math.Round(Math.Sqrt(pixels));
        return side * side == pixels ? $"{side}×{side} images ({pixels} pixels)" : $"images of {pixels} pixels";
    }
}
