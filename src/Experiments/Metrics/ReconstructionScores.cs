namespace Scratch.Experiments.Metrics;

/// <summary>
/// The three reconstruction metrics of a batch, each averaged over images:
/// RE (per-pixel MSE, lower is better), PSNR in dB (higher; +∞ if an image is exact),
/// SSIM (higher; 1 is perfect).
/// </summary>
public readonly record struct ReconstructionScores(double Re, double Psnr, double Ssim)
{
    /// <summary>Scores of reconstructions against originals: both (count, height, width), values in [0, 1].</summary>
    public static ReconstructionScores Evaluate(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstruction, int count, int height, int width)
    {
        double ssim = Metrics.Ssim.MeanOverBatch(original, reconstruction, count, height, width);
        double re = ReconstructionError.Mse(original, reconstruction);
        double psnr = Metrics.Psnr.MeanPerImage(original, reconstruction, count);
        return new ReconstructionScores(re, psnr, ssim);
    }
}
