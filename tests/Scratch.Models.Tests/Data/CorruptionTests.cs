using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class CorruptionTests
{
    private static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (i % 11) / 10f).ToArray();

    [Test]
    public void Mask_ZeroesAboutTheGivenFraction_AndCopiesTheRest()
    {
        var clean = Ramp(100_001).Select(v => v + 0.5f).ToArray(); // no clean zeros, so zeros count masks
        var masked = new float[clean.Length];
        Corruption.Mask(clean, masked, 0.3, new DataRng(1));
        int zeros = masked.Count(v => v == 0f);
        Assert.That(zeros / (double)clean.Length, Is.EqualTo(0.3).Within(0.01));
        for (int i = 0; i < clean.Length; i++)
            Assert.That(masked[i] == 0f || masked[i] == clean[i]);
    }

    [Test]
    public void Mask_ExtremeFractions()
    {
        var clean = Ramp(50).Select(v => v + 1).ToArray();
        var masked = new float[50];
        Corruption.Mask(clean, masked, 0, new DataRng(1));
        Assert.That(masked, Is.EqualTo(clean));
        Corruption.Mask(clean, masked, 1, new DataRng(1));
        Assert.That(masked, Has.All.EqualTo(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Corruption.Mask(clean, masked, 1.5, new DataRng(1)));
    }

    [Test]
    public void GaussianNoise_HasTheGivenSigma_WithoutClipping()
    {
        var clean = new float[100_001]; // odd length: the last pair is half used
        Array.Fill(clean, 0.5f);
        var noisy = new float[clean.Length];
        Corruption.AddGaussianNoise(clean, noisy, 0.2, new DataRng(2), clip: false);
        double mean = noisy.Average(v => (double)v - 0.5);
        double std = Math.Sqrt(noisy.Average(v => (v - 0.5) * (v - 0.5)));
        Assert.That(mean, Is.EqualTo(0).Within(0.005));
        Assert.That(std, Is.EqualTo(0.2).Within(0.005));
        Assert.That(noisy[^1], Is.Not.EqualTo(0.5f), "the odd last pixel is noised too");
    }

    [Test]
    public void GaussianNoise_Clip_KeepsUnitRange_AndSigmaZeroIsIdentity()
    {
        var clean = Ramp(1000);
        var noisy = new float[1000];
        Corruption.AddGaussianNoise(clean, noisy, 0.5, new DataRng(3), clip: true);
        Assert.That(noisy, Has.All.InRange(0f, 1f));
        Assert.That(noisy.Count(v => v == 0f || v == 1f), Is.GreaterThan(100), "σ = 0.5 pushes many pixels out of range");
        Corruption.AddGaussianNoise(clean, noisy, 0, new DataRng(3));
        Assert.That(noisy, Is.EqualTo(clean));
    }

    [Test]
    public void Corruption_SameSeed_SameResult()
    {
        var clean = Ramp(784);
        var a = new float[784];
        var b = new float[784];
        Corruption.AddGaussianNoise(clean, a, 0.3, new DataRng(8));
        Corruption.AddGaussianNoise(clean, b, 0.3, new DataRng(8));
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void Corruption_LengthMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Corruption.Mask(new float[3], new float[2], 0.1, new DataRng(1)))!;
        Assert.That(e.Message, Does.Contain("input has 3 values but output has 2"));
    }
}
