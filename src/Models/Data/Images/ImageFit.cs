namespace Scratch.Models.Data;

/// <summary>
/// Brings one image to the shape a dataset asked for: its channels (grey ↔ RGB) and its size
/// (centre crop, then resample; see <see cref="ImageResize"/>). The one path both image folders
/// and .npy files take, so a picture gives the same bytes whichever way it came in.
/// </summary>
internal static class ImageFit
{
    /// <summary>
    /// <paramref name="image"/> as <paramref name="target"/>, written into <paramref name="destination"/>
    /// (target.Pixels bytes). RGB → grey goes before the resize (a third of the work); grey → RGB
    /// after it (repeating a plane commutes with resampling, so the order is free there).
    /// </summary>
    public static void Apply(PixelImage image, ImageShape target, Span<byte> destination)
    {
        if (destination.Length != target.Pixels)
            throw new ArgumentException($"ImageFit: destination holds {destination.Length} bytes, a {target} image {target.Pixels}");
        if (image.Shape.Channels == 3 && target.Channels == 1)
            image = ImageChannels.ToGrey(image);
        if (image.Shape.Height != target.Height || image.Shape.Width != target.Width)
            image = ImageResize.Resize(image, target.Height, target.Width);
        if (image.Shape.Channels == 1 && target.Channels == 3)
            image = ImageChannels.ToRgb(image);
        image.Pixels.CopyTo(destination);
    }

    /// <summary>Every image of <paramref name="images"/> brought to the options' size and channels (an IDX folder read with --image-size or --channels).</summary>
    public static ImageSet All(ImageSet images, DataOptions options)
    {
        var from = images.Shape;
        var target = new ImageShape(options.Channels ?? from.Channels, options.ImageSize?.Height ?? from.Height, options.ImageSize?.Width ?? from.Width);
        if (target == from) return images;
        var pixels = new byte[(long)images.Count * target.Pixels];
        Scratch.Kernels.CpuParallel.For(images.Count, i =>
            Apply(new PixelImage(from, images.Image(i).ToArray()), target, pixels.AsSpan(i * target.Pixels, target.Pixels)));
        return new ImageSet(target, pixels, images.IsLabelled ? images.Labels : null, images.IsLabelled ? images.ClassNames : null);
    }
}
