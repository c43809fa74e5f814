namespace Scratch.Models.Data;

/// <summary>
/// Resizes an image to a target height × width: first the largest centred window of the target's
/// aspect ratio is cropped, then each axis is resampled on its own — area averaging when it
/// shrinks, bilinear when it grows, nothing when it stays.
/// </summary>
/// <remarks>
/// The result is that of torchvision's <c>Resize(min(H, W))</c> followed by <c>CenterCrop((H, W))</c>:
/// the picture fills the target and the overflow is cut equally from both sides. Cropping first,
/// in whole source pixels, means no resampled pixel is thrown away. An odd leftover puts the
/// extra pixel at the bottom / right.
///
/// Shrinking averages every source pixel an output pixel covers, weighted by the exact fraction
/// covered (a box filter, as PIL's reduce and OpenCV's INTER_AREA). Growing samples at pixel
/// centres, source x = (x' + ½)·in/out − ½ clamped to the edges (bilinear, PIL's and torch's
/// align_corners=False).
///
/// Every weight is an integer over a per-axis denominator (area: coverage in units of 1/out of a
/// source pixel, over in; bilinear: a fraction of 1/(2·out)), so the sums are exact integers and
/// one division with rounding half up ends the work: no float drift, the same bytes everywhere.
/// </remarks>
internal static class ImageResize
{
    /// <summary>One source pixel's share of an output pixel: Weight / the axis' denominator.</summary>
    internal readonly record struct Tap(int Source, long Weight);

    /// <summary>The taps of each output index along one axis, and the denominator they share.</summary>
    internal readonly record struct Axis(Tap[][] Taps, long Denominator);

    /// <summary><paramref name="image"/> (C, H, W) cropped to the target's aspect and resampled to (C, <paramref name="height"/>, <paramref name="width"/>).</summary>
    public static PixelImage Resize(PixelImage image, int height, int width)
    {
        var (c, h, w) = image.Shape;
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"ImageResize: target {height}×{width} must be positive");
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"ImageResize: image of {h}×{w} pixels has nothing to resize");
        var (top, left, cropH, cropW) = CentreCrop(h, w, height, width);
        var rows = AxisTaps(cropH, height);
        var cols = AxisTaps(cropW, width);
        long denominator = rows.Denominator * cols.Denominator;

        var output = new byte[c * height * width];
        var across = new long[cropH * width]; // one channel resampled along x only: (cropH, width)
        for (int ch = 0; ch < c; ch++)
        {
            var plane = image.Pixels.AsSpan(ch * h * w, h * w);
            // x first: each cropped source row → `width` sums, each over cols.Denominator.
            for (int y = 0; y < cropH; y++)
            {
                var row = plane.Slice((top + y) * w + left, cropW);
                for (int x = 0; x < width; x++)
                {
                    long sum = 0;
                    foreach (var tap in cols.Taps[x]) sum += tap.Weight * row[tap.Source];
                    across[y * width + x] = sum;
                }
            }
            // then y: each output pixel over rows.Denominator · cols.Denominator, rounded half up.
            var result = output.AsSpan(ch * height * width, height * width);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    long sum = 0;
                    foreach (var tap in rows.Taps[y]) sum += tap.Weight * across[tap.Source * width + x];
                    result[y * width + x] = (byte)((2 * sum + denominator) / (2 * denominator));
                }
            }
        }
        return new PixelImage(new ImageShape(c, height, width), output);
    }

    /// <summary>
    /// The largest window of <paramref name="height"/>:<paramref name="width"/> aspect inside an
    /// <paramref name="h"/>×<paramref name="w"/> image, centred: (top, left, rows, cols).
    /// </summary>
    public static (int Top, int Left, int Rows, int Cols) CentreCrop(int h, int w, int height, int width)
    {
        // Compare w/h with width/height in integers: w·height vs h·width.
        long wide = (long)w * height, tall = (long)h * width;
        int rows = h, cols = w;
        if (wide > tall) cols = (int)Math.Clamp((2L * h * width + height) / (2L * height), 1, w); // round(h·width/height)
        else if (tall > wide) rows = (int)Math.Clamp((2L * w * height + width) / (2L * width), 1, h);
        return ((h - rows) / 2, (w - cols) / 2, rows, cols);
    }

    /// <summary>The taps that take <paramref name="input"/> pixels to <paramref name="output"/> along one axis.</summary>
    public static Axis AxisTaps(int input, int output) =>
        output == input ? Identity(input)
        : output < input ? Area(input, output)
        : Bilinear(input, output);

    private static Axis Identity(int n) =>
        new(Enumerable.Range(0, n).Select(i => new[] { new Tap(i, 1) }).ToArray(), 1);

    // Measure in units of 1/output of a source pixel: source pixel i spans [i·out, (i+1)·out),
    // output pixel j spans [j·in, (j+1)·in). Overlaps are whole units and add up to `in`.
    private static Axis Area(int input, int output)
    {
        var taps = new Tap[output][];
        for (int j = 0; j < output; j++)
        {
            long start = (long)j * input, end = start + input;
            var list = new List<Tap>();
            for (int i = (int)(start / output); (long)i * output < end; i++)
            {
                long overlap = Math.Min(end, (long)(i + 1) * output) - Math.Max(start, (long)i * output);
                if (overlap > 0) list.Add(new Tap(i, overlap));
            }
            taps[j] = list.ToArray();
        }
        return new Axis(taps, input);
    }

    // Output pixel j's centre sits at source x = (j + ½)·in/out − ½ = ((2j+1)·in − out) / (2·out):
    // the numerator's quotient is the left neighbour, its remainder the right neighbour's weight.
    private static Axis Bilinear(int input, int output)
    {
        long denominator = 2L * output;
        var taps = new Tap[output][];
        for (int j = 0; j < output; j++)
        {
            long numerator = Math.Max(0, (2L * j + 1) * input - output); // clamp left of the first centre
            int left = (int)(numerator / denominator);
            long right = numerator % denominator;
            taps[j] = left >= input - 1 || right == 0
                ? [new Tap(Math.Min(left, input - 1), denominator)] // on a centre, or right of the last one
                : [new Tap(left, denominator - right), new Tap(left + 1, right)];
        }
        return new Axis(taps, denominator);
    }
}
