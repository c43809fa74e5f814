using Scratch.Models.Autoencoders;

namespace Scratch.Models.Tests.Autoencoders;

public class CorruptionTests
{
    private static readonly Tensor Grey = Tensor.Full([100, 784], 0.5);

    [Test]
    public void Gaussian_AddsNoiseOfSigma_ClippedToUnitRange()
    {
        var noisy = new Corruption.Gaussian(0.1, Clip: true).Apply(Grey, new Rng(1));
        var values = noisy.ToArray<float>();
        Assert.That(values, Is.All.InRange(0f, 1f));
        var diff = noisy - Grey;
        Assert.That(diff.Mean().Item(), Is.EqualTo(0).Within(0.002));
        Assert.That(Math.Sqrt(diff.Square().Mean().Item()), Is.EqualTo(0.1).Within(0.002));
        // Far from the edges nothing is clipped; near them the clip is visible.
        Assert.That(new Corruption.Gaussian(0.3, Clip: true).Apply(Tensor.Ones([1000]), new Rng(2)).Max().Item(), Is.EqualTo(1.0));
    }

    [Test]
    public void Gaussian_Unclipped_IsUnbiasedOnBlackPixels()
    {
        // The default: black pixels get noise of mean 0. Clipped, they brighten by σ/√(2π) ≈ 0.12 at σ 0.3.
        Assert.That(Corruption.DefaultClip, Is.False);
        var black = Tensor.Zeros([100, 784]);
        Assert.That(new Corruption.Gaussian(0.3).Apply(black, new Rng(5)).Mean().Item(), Is.EqualTo(0).Within(0.003));
        Assert.That(new Corruption.Gaussian(0.3, Clip: true).Apply(black, new Rng(5)).Mean().Item(), Is.EqualTo(0.3 / Math.Sqrt(2 * Math.PI)).Within(0.003));
    }

    [Test]
    public void Describe_IsWrittenForPeople()
    {
        Assert.That(new Corruption.Gaussian(0.3).Describe(), Is.EqualTo("Gaussian noise σ 0.3"));
        Assert.That(new Corruption.Gaussian(0.3, Clip: true).Describe(), Is.EqualTo("Gaussian noise σ 0.3, clipped to [0, 1]"));
        Assert.That(new Corruption.Masking(0.25).Describe(), Is.EqualTo("25% of pixels masked"));
    }

    [Test]
    public void Masking_ZerosTheGivenFraction_AndKeepsTheRest()
    {
        var masked = new Corruption.Masking(0.3).Apply(Grey, new Rng(3)).ToArray<float>();
        double zeroFraction = masked.Count(v => v == 0) / (double)masked.Length;
        Assert.That(zeroFraction, Is.EqualTo(0.3).Within(0.005));
        Assert.That(masked.Where(v => v != 0), Is.All.EqualTo(0.5f));
    }

    [Test]
    public void SameRngSeed_SameCorruption()
    {
        var c = new Corruption.Gaussian(0.2);
        Assert.That(c.Apply(Grey, new Rng(4)).ToArray<float>(), Is.EqualTo(c.Apply(Grey, new Rng(4)).ToArray<float>()));
    }
}
