using Scratch.Experiments.Metrics;

namespace Scratch.Experiments.Tests.Metrics;

public class SsimTests
{
    private const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    private static float[] RandomImages(int count, int h, int w, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Test]
    public void IdenticalImages_GiveExactlyOne()
    {
        var x = RandomImages(3, 28, 28, 1);
        Assert.That(Ssim.PerImage(x, x, 3, 28, 28), Has.All.EqualTo(1.0));
        Assert.That(Ssim.MeanOverBatch(x, x, 3, 28, 28), Is.EqualTo(1.0));
    }

    [Test]
    public void Map_OfA28x28Image_Is18x18()
    {
        var x = RandomImages(1, 28, 28, 2);
        Assert.That(Ssim.Map(x, x, 28, 28), Has.Length.EqualTo(18 * 18));
        Assert.That(Ssim.Map(new float[11 * 13], new float[11 * 13], 11, 13), Has.Length.EqualTo(1 * 3));
    }

    [Test]
    public void GaussianWeights_SumToOne_AndAreSymmetric()
    {
        var g = Ssim.GaussianWeights(11, 1.5);
        Assert.That(g.Sum(), Is.EqualTo(1.0).Within(1e-15));
        for (int k = 0; k < 11; k++)
            Assert.That(g[k], Is.EqualTo(g[10 - k]));
        // exp(−25/4.5) relative to the centre: the edge weight of Wang's window.
        Assert.That(g[0] / g[5], Is.EqualTo(Math.Exp(-25 / 4.5)).Within(1e-15));
    }

    [Test]
    public void ConstantImages_GiveTheLuminanceTermByHand()
    {
        // No variance anywhere, so contrast-structure = C2/C2 = 1 and SSIM = (2cd + C1)/(c² + d² + C1):
        // c = 0.5, d = 0.6 → 0.6001 / 0.6101.
        var x = Enumerable.Repeat(0.5f, 28 * 28).ToArray();
        var y = Enumerable.Repeat(0.6f, 28 * 28).ToArray();
        double c = 0.5, d = (double)0.6f;
        Assert.That(Ssim.Compute(x, y, 28, 28), Is.EqualTo((2 * c * d + C1) / (c * c + d * d + C1)).Within(1e-12));
        Assert.That(Ssim.Compute(x, y, 28, 28), Is.EqualTo(0.6001 / 0.6101).Within(1e-7));
    }

    [Test]
    public void ConstantShift_OnOneWindow_LeavesOnlyTheLuminanceTerm()
    {
        // An 11×11 image has one window. y = x + δ has the same variance and σxy = σx², so the
        // contrast-structure factor is exactly 1 and SSIM = (2·μ(μ+δ) + C1)/(μ² + (μ+δ)² + C1),
        // μ the Gaussian-weighted mean — computed here straight from the window.
        var x = RandomImages(1, 11, 11, 3).Select(v => v * 0.5f).ToArray();
        const float delta = 0.25f;
        var y = x.Select(v => v + delta).ToArray();
        var window = NaiveSsim.Window();
        double mx = 0, my = 0;
        for (int i = 0; i < 121; i++)
        {
            mx += window[i / 11, i % 11] * x[i];
            my += window[i / 11, i % 11] * y[i];
        }
        double expected = (2 * mx * my + C1) / (mx * mx + my * my + C1);
        Assert.That(Ssim.Compute(x, y, 11, 11), Is.EqualTo(expected).Within(1e-12));
        Assert.That(expected, Is.LessThan(1.0));
    }

    [Test]
    public void Inverted_GivesNegativeStructure()
    {
        // y = 1 − x: μy = 1 − μx, σy² = σx², σxy = −σx². Pixels are multiples of 1/256 so
        // 1 − x is exact in float and the identities hold without rounding.
        var x = RandomImages(1, 11, 11, 4).Select(v => MathF.Round(v * 256) / 256).ToArray();
        var y = x.Select(v => 1 - v).ToArray();
        var window = NaiveSsim.Window();
        double mx = 0, exx = 0;
        for (int i = 0; i < 121; i++)
        {
            mx += window[i / 11, i % 11] * x[i];
            exx += window[i / 11, i % 11] * x[i] * x[i];
        }
        double vx = exx - mx * mx, my = 1 - mx;
        double expected = (2 * mx * my + C1) / (mx * mx + my * my + C1) * (-2 * vx + C2) / (2 * vx + C2);
        Assert.That(Ssim.Compute(x, y, 11, 11), Is.EqualTo(expected).Within(1e-9));
        Assert.That(expected, Is.LessThan(0));
    }

    [Test]
    public void IsSymmetric()
    {
        var x = RandomImages(4, 28, 28, 5);
        var y = RandomImages(4, 28, 28, 6);
        Assert.That(Ssim.PerImage(x, y, 4, 28, 28), Is.EqualTo(Ssim.PerImage(y, x, 4, 28, 28)));
    }

    [TestCase(28, 28)]
    [TestCase(11, 11)]
    [TestCase(13, 31)]
    [TestCase(20, 12)]
    public void Fast_EqualsNaive_OnRandomImages(int h, int w)
    {
        var x = RandomImages(5, h, w, 7);
        // y: x plus noise, so SSIM lands mid-range rather than near 0 (unrelated) or 1 (equal).
        var rng = new Random(8);
        var y = x.Select(v => Math.Clamp(v + (float)(rng.NextDouble() - 0.5) * 0.4f, 0f, 1f)).ToArray();
        var fast = Ssim.PerImage(x, y, 5, h, w);
        var naive = NaiveSsim.PerImage(x, y, 5, h, w);
        for (int n = 0; n < 5; n++)
            Assert.That(fast[n], Is.EqualTo(naive[n]).Within(1e-10));
        Assert.That(fast, Has.All.InRange(0.2, 0.99));
    }

    [Test]
    public void Colour_IsTheMeanOfEachChannelsSsim_AsScikitImagesChannelAxis()
    {
        // Two RGB images of 13×17 (C, H, W planes): each channel differs by its own amount of noise.
        var shape = new Models.Data.ImageShape(3, 13, 17);
        int plane = 13 * 17;
        var x = RandomImages(2 * 3, 13, 17, 11);
        var rng = new Random(12);
        var y = x.Select((v, i) => Math.Clamp(v + (float)(rng.NextDouble() - 0.5) * 0.2f * (1 + (i / plane) % 3), 0f, 1f)).ToArray();
        var colour = Ssim.PerImage(x, y, 2, shape);
        var planes = NaiveSsim.PerImage(x, y, 6, 13, 17);   // every plane as a grey image
        for (int n = 0; n < 2; n++)
            Assert.That(colour[n], Is.EqualTo((planes[3 * n] + planes[3 * n + 1] + planes[3 * n + 2]) / 3).Within(1e-10));
        Assert.That(planes[0], Is.GreaterThan(planes[2]), "the noisier channel scores lower: the channels really differ");
        // A grey image repeated in three channels scores as the grey image.
        var grey = RandomImages(1, 13, 17, 13);
        var greyY = grey.Select(v => v * 0.9f).ToArray();
        Assert.That(Ssim.PerImage([.. grey, .. grey, .. grey], [.. greyY, .. greyY, .. greyY], 1, shape)[0],
            Is.EqualTo(Ssim.PerImage(grey, greyY, 1, 13, 17)[0]).Within(1e-12));
    }

    [Test]
    public void Fast_EqualsNaive_WithOtherDataRange()
    {
        var x = RandomImages(2, 16, 16, 9).Select(v => v * 255).ToArray();
        var y = RandomImages(2, 16, 16, 10).Select(v => v * 255).ToArray();
        var fast = Ssim.PerImage(x, y, 2, 16, 16, dataRange: 255);
        var naive = NaiveSsim.PerImage(x, y, 2, 16, 16, range: 255);
        Assert.That(fast[0], Is.EqualTo(naive[0]).Within(1e-10));
        Assert.That(fast[1], Is.EqualTo(naive[1]).Within(1e-10));
    }

    [Test]
    public void BadShapes_AreRejectedWithTheSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ssim.Compute(new float[100], new float[100], 10, 10))!;
        Assert.That(e.Message, Does.Contain("10×10 are smaller than the 11×11 window"));
        e = Assert.Throws<ArgumentException>(() => Ssim.Compute(new float[784], new float[783], 28, 28))!;
        Assert.That(e.Message, Does.Contain("got 784 and 783"));
        e = Assert.Throws<ArgumentException>(() => Ssim.PerImage(new float[784], new float[784], 2, 28, 28))!;
        Assert.That(e.Message, Does.Contain("2×28×28"));
    }
}
