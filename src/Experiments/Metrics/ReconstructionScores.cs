namespace Scratch.Experiments.Metrics;

/// <summary>
/// The three reconstruction metrics of a batch, each averaged over images:
/// RE (per-pixel MSE, lower is better), PSNR in dB (higher; +∞ if an image is exact),
/// SSIM (higher; 1 is perfect).
/// </summary>
public readonly record struct ReconstructionScores(double Re, double Psnr, double Ssim)
{
    /// <summary>
    /// Scores of reconstructions against originals: both (count, C, H, W), values in [0, 1]. RE and
    /// PSNR run over every value; SSIM is each channel's averaged (<see cref="Ssim.PerImage(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Models.Data.ImageShape, double)"/>).
    /// </summary>
    public static ReconstructionScores Evaluate(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstruction, int count, Models.Data.ImageShape shape)
    {
        double ssim = Metrics.Ssim.PerImage(original, reconstruction, count, shape).Average();
        double re = ReconstructionError.Mse(original, reconstruction);
        double psnr = Metrics.Psnr.MeanPerImage(original, reconstruction, count);
        return new ReconstructionScores(re, psnr, ssim);
    }
}
