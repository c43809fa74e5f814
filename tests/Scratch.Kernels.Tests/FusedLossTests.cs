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
    public void BceOracle_KeepsTinyTerms()
    {
        // logit 40 against target 1: the loss is ln(1 + e^−40) ≈ 4.248e-18, below one ulp of 1 in double.
        // An oracle built on ln(1 + ·) computed as Log(1 + e) returns 0 and would hide a kernel that drops it.
        Assert.That(FusedReference.BceWithLogitsSum<double>([40.0], [1.0]), Is.EqualTo(Math.Exp(-40)).Within(1e-30));
        Assert.That(FusedReference.BceWithLogitsSum<double>([-45.0, 50.0], [0.0, 1.0]), Is.EqualTo(Math.Exp(-45) + Math.Exp(-50)).Within(1e-32));
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

    // Long spans run their chunks on the worker threads: the same chunk sums added in the same order,
    // so the loss and the gradient are bitwise those of one thread — and still match the reference.
    [TestCase(100_352)]     // a VAE batch: 128 × 784
    [TestCase(40_961)]      // a partial last chunk
    public void TwoThreads_BitwiseOneThread(int n)
    {
        var (x, t) = Inputs(n, n);
        var xf = x.Select(v => (float)v).ToArray();
        var tf = t.Select(v => (float)v).ToArray();
        float[] sums = new float[2];
        var grads = new float[2][];
        foreach (int threads in new[] { 1, 2 })
        {
            using var _ = CpuThreads.Use(threads);
            sums[threads - 1] = CpuKernels.BceWithLogitsSum<float>(xf, tf);
            grads[threads - 1] = new float[n];
            CpuKernels.BceWithLogitsBackward<float>(xf, tf, 0.25f, grads[threads - 1]);
        }
        Assert.That(BitConverter.SingleToInt32Bits(sums[1]), Is.EqualTo(BitConverter.SingleToInt32Bits(sums[0])), "loss");
        Assert.That(grads[1], Is.EqualTo(grads[0]), "gradient");

        double scale = x.Sum(v => Math.Abs(v) + 1);
        Assert.That(sums[1], Is.EqualTo(FusedReference.BceWithLogitsSum<double>(x, t)).Within(2e-6 * scale), "loss against the reference");
        var expected = new double[n];
        FusedReference.BceWithLogitsBackward<double>(x, t, 0.25, expected);
        Assert.That(grads[1].Select(v => (double)v), Is.EqualTo(expected).Within(1e-6), "gradient against the reference");
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
