using Scratch.Experiments.Metrics;

namespace Scratch.Experiments.Tests.Metrics;

public class PsnrAndReTests
{
    [Test]
    public void Mse_HandCase()
    {
        // differences 0, 0.5, −0.25, 1 → squares 0, 0.25, 0.0625, 1 → mean 0.328125
        float[] a = [0, 0.5f, 0.25f, 1];
        float[] b = [0, 0, 0.5f, 0];
        Assert.That(ReconstructionError.Mse(a, b), Is.EqualTo(0.328125));
    }

    [Test]
    public void PerImage_SplitsTheBatch()
    {
        float[] a = [1, 1, 0, 0];
        float[] b = [0, 1, 0, 0];
        Assert.That(ReconstructionError.PerImage(a, b, 2), Is.EqualTo(new[] { 0.5, 0.0 }));
    }

    [Test]
    public void Psnr_HandCases()
    {
        // MSE 0.01 → 20·log10(1/0.1) = 20 dB; MSE 1e-4 → 40 dB; MAX 255 and MSE 1 → 48.13 dB.
        Assert.That(Psnr.FromMse(0.01), Is.EqualTo(20.0).Within(1e-12));
        Assert.That(Psnr.FromMse(1e-4), Is.EqualTo(40.0).Within(1e-12));
        Assert.That(Psnr.FromMse(1, 255), Is.EqualTo(20 * Math.Log10(255)).Within(1e-12));
        float[] a = [0.1f, 0.1f];
        float[] b = [0.2f, 0.0f];
        double mse = Math.Pow(0.2f - 0.1f, 2) / 2 + Math.Pow(0.1f, 2) / 2;
        Assert.That(Psnr.Compute(a, b), Is.EqualTo(10 * Math.Log10(1 / mse)).Within(1e-9));
    }

    [Test]
    public void Psnr_IdenticalImages_IsPositiveInfinity()
    {
        float[] a = [0.3f, 0.7f];
        Assert.That(Psnr.Compute(a, a), Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void Psnr_MeanPerImage_AveragesDecibels()
    {
        // image 0: MSE 0.01 (20 dB); image 1: MSE 0.0001 (40 dB) → mean 30 dB
        float[] a = [0.1f, 0.1f, 0.01f, 0.01f];
        float[] b = [0.0f, 0.2f, 0.0f, 0.02f];
        Assert.That(Psnr.MeanPerImage(a, b, 2), Is.EqualTo(30.0).Within(1e-5));
    }

    [Test]
    public void Scores_Evaluate_AgainstHandComputedValues()
    {
        // Two 28×28 images, each of one grey level, reconstructed with a constant error: image 0 by
        // 0.1 (MSE 0.01, 20 dB), image 1 by 0.01 (MSE 1e-4, 40 dB). RE is the pixel mean over both
        // images, (0.01 + 1e-4)/2; PSNR the mean of the per-image decibels, 30 (not 10·log10(1/RE) ≈ 22.97).
        // SSIM of constant images: luminance term only, (2μxμy + C1)/(μx² + μy² + C1), the same in every window.
        const int p = 784;
        var x = new float[2 * p];
        var y = new float[2 * p];
        x.AsSpan(0, p).Fill(0.5f); y.AsSpan(0, p).Fill(0.6f);
        x.AsSpan(p, p).Fill(0.3f); y.AsSpan(p, p).Fill(0.31f);
        var scores = ReconstructionScores.Evaluate(x, y, 2, Models.Data.ImageShape.Mnist);
        double d0 = 0.6f - 0.5f, d1 = 0.31f - 0.3f;
        Assert.That(scores.Re, Is.EqualTo((d0 * d0 + d1 * d1) / 2).Within(1e-12));
        Assert.That(scores.Psnr, Is.EqualTo((10 * Math.Log10(1 / (d0 * d0)) + 10 * Math.Log10(1 / (d1 * d1))) / 2).Within(1e-6));
        const double c1 = 0.01 * 0.01;
        static double Luminance(double a, double b) => (2 * a * b + c1) / (a * a + b * b + c1);
        Assert.That(scores.Ssim, Is.EqualTo((Luminance(0.5f, 0.6f) + Luminance(0.3f, 0.31f)) / 2).Within(1e-6));
    }

    [Test]
    public void BadInputs_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => ReconstructionError.Mse(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => ReconstructionError.Mse([], []));
        Assert.Throws<ArgumentException>(() => ReconstructionError.PerImage(new float[5], new float[5], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Psnr.FromMse(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Psnr.FromMse(double.NaN));
    }
}
