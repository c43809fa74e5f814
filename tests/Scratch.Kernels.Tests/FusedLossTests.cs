using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Tests;

// The fused BCE-with-logits kernels against their one-element-at-a-time reference.
public class FusedLossTests
{
    private static (double[] X, double[] T) Inputs(int n, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(i => i % 17 == 0 ? (i % 2 == 0 ? 100.0 : -100.0) : (random.NextDouble() - 0.5) * 20).ToArray();
        var t = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        return (x, t);
    }

    [Test]
    public void Sum_MatchesReference_EveryLength_AndAcrossChunks()
    {
        foreach (int n in Enumerable.Range(0, 258).Append(5000))
        {
            var (x, t) = Inputs(n, n);
            double expected = FusedReference.BceWithLogitsSum<double>(x, t);
            double scale = Enumerable.Range(0, n).Sum(i => Math.Abs(x[i]) + 1);
            Assert.That(CpuKernels.BceWithLogitsSum<double>(x, t), Is.EqualTo(expected).Within(1e-13 * scale), $"double n={n}");
            var xf = x.Select(v => (float)v).ToArray();
            var tf = t.Select(v => (float)v).ToArray();
            float expectedF = FusedReference.BceWithLogitsSum<float>(xf, tf);
            Assert.That(CpuKernels.BceWithLogitsSum<float>(xf, tf), Is.EqualTo(expectedF).Within(2e-6 * scale), $"float n={n}");
        }
    }

    [Test]
    public void Backward_MatchesReference_EveryLength()
    {
        foreach (int n in Enumerable.Range(0, 258))
        {
            var (x, t) = Inputs(n, 1000 + n);
            var expected = new double[n];
            var actual = new double[n];
            FusedReference.BceWithLogitsBackward<double>(x, t, 0.5, expected);
            CpuKernels.BceWithLogitsBackward<double>(x, t, 0.5, actual);
            Assert.That(actual, Is.EqualTo(expected).Within(1e-15), $"n={n}");
        }
    }

    [Test]
    public void ExtremeLogits_StayFinite_AndExact()
    {
        double[] x = [-100, 100, -100, 100, 0];
        double[] t = [0, 1, 1, 0, 0.5];
        Assert.That(CpuKernels.BceWithLogitsSum<double>(x, t), Is.EqualTo(200 + Math.Log(2)).Within(1e-12));
        float[] xf = [-100f, 100f];
        float[] tf = [1f, 0f];
        Assert.That(CpuKernels.BceWithLogitsSum<float>(xf, tf), Is.EqualTo(200f));
    }

    [Test]
    public void LengthMismatch_NamesTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.BceWithLogitsSum<float>(new float[3], new float[2]));
        Assert.That(ex!.Message, Does.Contain("bce with logits"));
    }
}
