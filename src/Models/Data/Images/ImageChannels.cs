namespace Scratch.Models.Data;

/// <summary>Grey ↔ RGB for images kept as (C, H, W) bytes.</summary>
internal static class ImageChannels
{
    /// <summary>
    /// Grey from RGB by ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B, rounded half up: the
    /// weights of PIL's convert("L") and of torchvision's rgb_to_grayscale. In integers (thousandths)
    /// so the rounding is exact and the same on every machine.
    /// </summary>
    /// <param name="rgb">(3, H, W).</param>
    /// <returns>(1, H, W).</returns>
    public static PixelImage ToGrey(PixelImage rgb)
    {
        var (c, h, w) = rgb.Shape;
        if (c != 3) throw new ArgumentException($"ImageChannels.ToGrey: image has {c} channels, not 3");
        int plane = h * w;
        var p = rgb.Pixels;
        var grey = new byte[plane];
        for (int i = 0; i < plane; i++)
            grey[i] = (byte)((299 * p[i] + 587 * p[plane + i] + 114 * p[2 * plane + i] + 500) / 1000);
        return new PixelImage(new ImageShape(1, h, w), grey);
    }

    /// <summary>RGB from grey: the plane three times, as PIL's convert("RGB") does.</summary>
    /// <param name="grey">(1, H, W).</param>
    /// <returns>(3, H, W).</returns>
    public static PixelImage ToRgb(PixelImage grey)
    {
        var (c, h, w) = grey.Shape;
        if (c != 1) throw new ArgumentException($"ImageChannels.ToRgb: image has {c} channels, not 1");
        int plane = h * w;
        var rgb = new byte[3 * plane];
        for (int k = 0; k < 3; k++)
            grey.Pixels.AsSpan(0, plane).CopyTo(rgb.AsSpan(k * plane, plane));
        return new PixelImage(new ImageShape(3, h, w), rgb);
    }
}
