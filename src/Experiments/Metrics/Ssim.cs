namespace Scratch.Experiments.Metrics;

/// <summary>
/// Structural similarity, exactly as Wang, Bovik, Sheikh and Simoncelli (2004) define it and as
/// their MATLAB ssim_index and pytorch_msssim compute it:
/// an 11×11 Gaussian window (σ = 1.5, weights summing to 1) slides over the image; at each
/// position the local means μ, variances σ² and covariance σxy give
/// <code>
///   SSIM = (2·μx·μy + C1)(2·σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
///   C1 = (K1·L)², C2 = (K2·L)², K1 = 0.01, K2 = 0.03, L = data range (1 for [0, 1] images),
/// </code>
/// and the score is the mean of that map. Only 'valid' positions count — the window lies fully
/// inside the image — so a 28×28 image has an 18×18 map and no padding rule is involved.
/// Values are in [−1, 1]; identical images give exactly 1.
/// </summary>
/// <remarks>
/// The Gaussian is separable, so each of the five local sums (x, y, x², y², xy) is filtered
/// along rows, then along columns: 2·11 multiply-adds per pixel instead of 121. Everything is
/// accumulated in double. The test project holds a direct per-window version to compare with.
/// </remarks>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double WindowSigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;

    // The 1-D Gaussian g, normalized to sum 1; the 2-D window is g·gᵀ (it sums to 1 as well).
    private static readonly double[] Gaussian = GaussianWeights(WindowSize, WindowSigma);

    /// <summary>The 1-D window weights (length 11, sum 1); the 2-D window is their outer product.</summary>
    public static double[] GaussianWeights(int size, double sigma)
    {
        var g = new double[size];
        double center = (size - 1) / 2.0, sum = 0;
        for (int k = 0; k < size; k++)
        {
            double d = k - center;
            g[k] = Math.Exp(-d * d / (2 * sigma * sigma));
            sum += g[k];
        }
        for (int k = 0; k < size; k++)
            g[k] /= sum;
        return g;
    }

    /// <summary>Mean SSIM of one pair of images x, y: (height, width) each.</summary>
    public static double Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int height, int width, double dataRange = 1.0)
    {
        var map = Map(x, y, height, width, dataRange);
        double sum = 0;
        foreach (var v in map)
            sum += v;
        return sum / map.Length;
    }

    /// <summary>SSIM of each image pair in a batch: x, y (count, height, width) → (count).</summary>
    public static double[] PerImage(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int count, int height, int width, double dataRange = 1.0)
    {
        int pixels = CheckBatch(x, y, count, height, width);
        var result = new double[count];
        for (int n = 0; n < count; n++)
            result[n] = Compute(x.Slice(n * pixels, pixels), y.Slice(n * pixels, pixels), height, width, dataRange);
        return result;
    }

    /// <summary>
    /// SSIM of each image pair of any shape: each channel's plane scored as a grey image and the
    /// channels averaged, as scikit-image's structural_similarity does with channel_axis.
    /// x, y (count, C, H, W) → (count).
    /// </summary>
    public static double[] PerImage(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int count, Models.Data.ImageShape shape, double dataRange = 1.0)
    {
        if (shape.Channels == 1) return PerImage(x, y, count, shape.Height, shape.Width, dataRange);
        int plane = shape.Height * shape.Width;
        var planes = PerImage(x, y, count * shape.Channels, shape.Height, shape.Width, dataRange);   // (count·C)
        var result = new double[count];
        for (int n = 0; n < count; n++)
        {
            double sum = 0;
            for (int c = 0; c < shape.Channels; c++) sum += planes[n * shape.Channels + c];
            result[n] = sum / shape.Channels;
        }
        return result;
    }

    /// <summary>The mean over a batch of per-image SSIMs: x, y (count, height, width) → scalar.</summary>
    public static double MeanOverBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int count, int height, int width, double dataRange = 1.0)
    {
        var perImage = PerImage(x, y, count, height, width, dataRange);
        double sum = 0;
        foreach (var v in perImage)
            sum += v;
        return sum / count;
    }

    /// <summary>The SSIM map: x, y (height, width) → (height − 10, width − 10), row-major.</summary>
    public static double[] Map(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int height, int width, double dataRange = 1.0)
    {
        CheckImage(x, y, height, width);
        if (!(dataRange > 0) || double.IsInfinity(dataRange))
            throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "Ssim: the data range L must be finite and > 0");

        int outH = height - WindowSize + 1, outW = width - WindowSize + 1;
        double c1 = K1 * dataRange * K1 * dataRange;
        double c2 = K2 * dataRange * K2 * dataRange;

        // Row pass: the five products filtered along each row, valid columns only.
        // each: (height, outW)
        var rx = new double[height * outW];
        var ry = new double[height * outW];
        var rxx = new double[height * outW];
        var ryy = new double[height * outW];
        var rxy = new double[height * outW];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < outW; c++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                int start = r * width + c;
                for (int k = 0; k < WindowSize; k++)
                {
                    double g = Gaussian[k], a = x[start + k], b = y[start + k];
                    sx += g * a;
                    sy += g * b;
                    sxx += g * (a * a);
                    syy += g * (b * b);
                    sxy += g * (a * b);
                }
                int o = r * outW + c;
                (rx[o], ry[o], rxx[o], ryy[o], rxy[o]) = (sx, sy, sxx, syy, sxy);
            }
        }

        // Column pass and the SSIM formula. map: (outH, outW)
        var map = new double[outH * outW];
        for (int r = 0; r < outH; r++)
        {
            for (int c = 0; c < outW; c++)
            {
                double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
                for (int k = 0; k < WindowSize; k++)
                {
                    double g = Gaussian[k];
                    int i = (r + k) * outW + c;
                    mx += g * rx[i];
                    my += g * ry[i];
                    exx += g * rxx[i];
                    eyy += g * ryy[i];
                    exy += g * rxy[i];
                }
                map[r * outW + c] = Formula(mx, my, exx - mx * mx, eyy - my * my, exy - mx * my, c1, c2);
            }
        }
        return map;
    }

    /// <summary>
    /// Wang's formula from local statistics. Written so that x = y gives numerator and
    /// denominator that are bitwise equal, hence exactly 1.
    /// </summary>
    public static double Formula(double mx, double my, double varX, double varY, double covXY, double c1, double c2) =>
        (2 * mx * my + c1) * (2 * covXY + c2) / ((mx * mx + my * my + c1) * (varX + varY + c2));

    private static void CheckImage(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int height, int width)
    {
        if (height < WindowSize || width < WindowSize)
            throw new ArgumentException($"Ssim: images of {height}×{width} are smaller than the {WindowSize}×{WindowSize} window");
        if ((long)height * width != x.Length || x.Length != y.Length)
            throw new ArgumentException($"Ssim: expected two images of {height}×{width} = {(long)height * width} values, got {x.Length} and {y.Length}");
    }

    // x, y: (count, height, width) → height·width
    private static int CheckBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int count, int height, int width)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Ssim: the batch must hold at least one image");
        if (height < WindowSize || width < WindowSize)
            throw new ArgumentException($"Ssim: images of {height}×{width} are smaller than the {WindowSize}×{WindowSize} window");
        long expected = (long)count * height * width;
        if (x.Length != expected || y.Length != expected)
            throw new ArgumentException($"Ssim: expected two batches of {count}×{height}×{width} = {expected} values, got {x.Length} and {y.Length}");
        return height * width;
    }
}
