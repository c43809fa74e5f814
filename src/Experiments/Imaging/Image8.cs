namespace Scratch.Experiments.Imaging;

/// <summary>An 8-bit image, row-major: (Height, Width) for grey, (Height, Width, 3) for RGB.</summary>
public sealed class Image8
{
    public int Width { get; }
    public int Height { get; }
    /// <summary>1 for greyscale, 3 for RGB.</summary>
    public int Channels { get; }
    public byte[] Pixels { get; }

    public Image8(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"Image8: size {width}×{height} must be positive");
        if (channels is not (1 or 3))
            throw new ArgumentException($"Image8: {channels} channels; only 1 (grey) and 3 (RGB) are supported");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"Image8: {pixels.Length} bytes for {width}×{height}×{channels}");
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>
    /// A grey image from floats in [0, 1]: each value clamped, scaled by 255 and rounded.
    /// NaN becomes 0, so a diverged model still draws (as black) rather than failing to save.
    /// </summary>
    public static Image8 FromUnitFloats(ReadOnlySpan<float> values, int width, int height)
    {
        if (values.Length != (long)width * height)
            throw new ArgumentException($"Image8.FromUnitFloats: {values.Length} values for {width}×{height}");
        var pixels = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
            pixels[i] = ToByte(values[i]);
        return new Image8(width, height, 1, pixels);
    }

    /// <summary>
    /// An image from planar floats in [0, 1], (C, H, W) as the engine keeps them, into the
    /// interleaved bytes a PNG stores (H, W, C); C is 1 or 3. A NaN or infinite value is refused, not drawn.
    /// </summary>
    public static Image8 FromPlanes(ReadOnlySpan<float> planes, int channels, int width, int height)
    {
        if (channels is not (1 or 3) || planes.Length != (long)channels * width * height)
            throw new ArgumentException($"Image8.FromPlanes: {planes.Length} values for {channels}×{height}×{width}");
        int plane = width * height;
        var pixels = new byte[planes.Length];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < plane; i++)
            {
                float v = planes[c * plane + i];
                if (!float.IsFinite(v))
                    throw new ArgumentException($"picture: value {v} at channel {c}, pixel ({i / width}, {i % width}); values that are not finite are not drawn");
                pixels[i * channels + c] = ToByte(v);
            }
        return new Image8(width, height, channels, pixels);
    }

    /// <summary>
    /// Each pixel repeated <paramref name="factor"/>×<paramref name="factor"/> times (nearest neighbour):
    /// a 28×28 digit is too small to read when the PNG is opened alone.
    /// </summary>
    public Image8 Upscale(int factor)
    {
        if (factor < 1) throw new ArgumentException($"Image8.Upscale: factor {factor} must be at least 1");
        if (factor == 1) return this;
        int w = Width * factor, h = Height * factor;
        var pixels = new byte[(long)w * h * Channels];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < Channels; c++)
                    pixels[((long)y * w + x) * Channels + c] = Pixels[((long)(y / factor) * Width + x / factor) * Channels + c];
        return new Image8(w, h, Channels, pixels);
    }

    public static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)MathF.Round(Math.Clamp(v, 0f, 1f) * 255f);
}
