using Scratch.Experiments.Metrics;
using Scratch.Testing;

namespace Scratch.Experiments.Tests.GoldenFiles;

// SSIM against an independent implementation (TorchSharp conv2d with the Gaussian window, float64):
// tests/golden/ssim.json.
public class SsimGoldenTests
{
    private static readonly Golden G = Golden.Load("ssim.json");

    [TestCase("smooth_noise")]
    [TestCase("identical")]
    [TestCase("constant")]
    [TestCase("inverted")]
    [TestCase("shifted")]
    [TestCase("contrast")]
    public void Ssim_MatchesReference(string pair)
    {
        var a = G.Tensor($"{pair}.a").ToArray<double>().Select(v => (float)v).ToArray();
        var b = G.Tensor($"{pair}.b").ToArray<double>().Select(v => (float)v).ToArray();
        // The images are stored in float64; the metric takes float32 pixels, so compare at float32's precision.
        Assert.That(Ssim.Compute(a, b, 28, 28), Is.EqualTo(G.Scalar($"{pair}.ssim")).Within(1e-5));
    }

    [Test]
    public void Colour_EachChannelThenTheirMean_MatchesReference()
    {
        // (3, 20, 24): scikit-image's channel_axis rule, computed by the reference with a grouped conv2d.
        var a = G.Tensor("colour.a").ToArray<double>().Select(v => (float)v).ToArray();
        var b = G.Tensor("colour.b").ToArray<double>().Select(v => (float)v).ToArray();
        var perChannel = G.Tensor("colour.ssim_per_channel").ToArray<double>();
        int plane = 20 * 24;
        for (int c = 0; c < 3; c++)
            Assert.That(Ssim.Compute(a.AsSpan(c * plane, plane), b.AsSpan(c * plane, plane), 20, 24), Is.EqualTo(perChannel[c]).Within(1e-5), $"channel {c}");
        double colour = Ssim.PerImage(a, b, 1, new Models.Data.ImageShape(3, 20, 24))[0];
        Assert.That(colour, Is.EqualTo(G.Scalar("colour.ssim")).Within(1e-5));
        Assert.That(perChannel.Max() - perChannel.Min(), Is.GreaterThan(0.1), "the channels differ, so averaging them is what is checked");
    }

    [Test]
    public void GaussianWindow_MatchesReference()
    {
        var window = G.Tensor("window").ToArray<double>();
        var weights = Ssim.GaussianWeights(11, 1.5);
        // The 1-D weights are separable: their outer product is the reference's 11×11 window.
        Assert.That(weights, Has.Length.EqualTo(11));
        Assert.That(window, Has.Length.EqualTo(121));
        var full = weights.SelectMany(wi => weights.Select(wj => wi * wj)).ToArray();
        for (int i = 0; i < window.Length; i++) Assert.That(full[i], Is.EqualTo(window[i]).Within(1e-15));
    }
}
