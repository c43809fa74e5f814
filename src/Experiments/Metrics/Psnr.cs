namespace Scratch.Experiments.Metrics;

/// <summary>
/// Peak signal-to-noise ratio in decibels: PSNR = 20·log10(MAX / √MSE), MAX the largest possible
/// pixel value (1 for images in [0, 1]). Higher is better.
/// </summary>
/// <remarks>
/// Identical images have MSE = 0 and PSNR = +∞ (the limit, and what IEEE division gives);
/// it is returned as <see cref="double.PositiveInfinity"/> rather than clipped to an arbitrary
/// cap, so a caller averaging PSNRs sees it. <see cref="MeanPerImage"/> reports +∞ if any
/// image is reconstructed exactly.
/// </remarks>
public static class Psnr
{
    public static double FromMse(double mse, double maxValue = 1.0)
    {
        if (!(mse >= 0))
            throw new ArgumentOutOfRangeException(nameof(mse), mse, "Psnr: MSE must be ≥ 0");
        if (!(maxValue > 0) || double.IsInfinity(maxValue))
            throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "Psnr: MAX must be finite and > 0");
        // 20·log10(MAX/√MSE) written as 10·log10(MAX²/MSE) would be the same number; this is Wang's form.
        return mse == 0 ? double.PositiveInfinity : 20.0 * Math.Log10(maxValue / Math.Sqrt(mse));
    }

    /// <summary>PSNR of one image (or of a whole batch treated as one signal).</summary>
    public static double Compute(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstruction, double maxValue = 1.0) =>
        FromMse(ReconstructionError.Mse(original, reconstruction), maxValue);

    /// <summary>The mean over a batch of per-image PSNRs: (count, pixelsPerImage) → scalar.</summary>
    public static double MeanPerImage(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstruction, int count, double maxValue = 1.0)
    {
        var mses = ReconstructionError.PerImage(original, reconstruction, count);
        double sum = 0;
        foreach (var mse in mses)
            sum += FromMse(mse, maxValue);
        return sum / count;
    }
}
