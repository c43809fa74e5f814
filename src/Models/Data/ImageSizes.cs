using Scratch.Models.Autoencoders;

namespace Scratch.Models.Data;

/// <summary>
/// Whether a model fits a data set's images, said in pictures ("expects 28×28") rather than in the
/// matrix shapes a mismatch would otherwise surface as, deep inside the first layer.
/// </summary>
public static class ImageSizes
{
    /// <summary>Throws naming the model's image size and the data's when they differ.</summary>
    public static void Check(AutoencoderConfig config, ImageSet split, string source)
    {
        if (config.Image is { } image)
        {
            if (image != split.Shape)
                throw new ArgumentException($"this model was trained on {image} images ({image.Pixels} values) but {source} holds {split.Shape} images ({split.PixelsPerImage} values)");
            return;
        }
        // A conv model needs the picture's shape, not only its pixel count: 1×784 is not 28×28. One
        // that does not say its shape is an old checkpoint's, built for 28×28 grey digits.
        bool conv = config.Architecture == Architecture.Conv;
        bool fits = split.PixelsPerImage == config.InputSize && (!conv || split.Shape == ImageShape.Mnist);
        if (fits) return;
        string expects = conv ? $"{ImageShape.Mnist} images" : Describe(config.InputSize);
        throw new ArgumentException($"this model expects {expects} but {source} holds {split.Rows}×{split.Cols} images ({split.PixelsPerImage} pixels)");
    }

    /// <summary>"28×28 images (784 pixels)", or "images of 700 pixels" when the count is not a square.</summary>
    public static string Describe(int pixels)
    {
        int side = (int)Math.Round(Math.Sqrt(pixels));
        return side * side == pixels ? $"{side}×{side} images ({pixels} pixels)" : $"images of {pixels} pixels";
    }
}
