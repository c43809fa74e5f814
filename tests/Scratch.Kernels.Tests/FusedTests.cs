using System.Numerics;
using Scratch.Kernels.Cpu;
using static Scratch.Kernels.Tests.ElementwiseTestData;

namespace Scratch.Kernels.Tests;

// The fused kernels against their FusedReference loops (bitwise: same operations, same order, FMA
// where the reference has one), plus hand-worked values so the references themselves are pinned.
public class FusedTests
{
    private static readonly (int Rows, int Cols)[] BiasShapes = [(0, 0), (3, 0), (1, 1), (2, 7), (3, 16), (5, 17), (4, 33), (128, 400), (2, 257)];

    [Test]
    public void AddBiasRows_AndRelu_BitwiseEqualReference([ValueSource(nameof(BiasShapes))] (int Rows, int Cols) shape)
    {
        var (rows, cols) = shape;
        Check<float>(rows, cols);
        Check<double>(rows, cols);

        static void Check<T>(int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var bias = Values<T>(cols, seed: 20, range: 2);
            var y0 = Values<T>(rows * cols, seed: 21, range: 2);
            var (expected, actual) = (y0.ToArray(), y0.ToArray());
            FusedReference.AddBiasRows<T>(expected, bias, rows, cols);
            CpuKernels.AddBiasRows<T>(actual, bias, rows, cols);
            AssertBitwiseEqual<T>(expected, actual, $"add bias<{typeof(T).Name}> ({rows}, {cols})");

            (expected, actual) = (y0.ToArray(), y0.ToArray());
            FusedReference.AddBiasRelu<T>(expected, bias, rows, cols);
            CpuKernels.AddBiasRelu<T>(actual, bias, rows, cols);
            AssertBitwiseEqual<T>(expected, actual, $"add bias relu<{typeof(T).Name}> ({rows}, {cols})");
        }
    }

    [Test]
    public void AddBiasRelu_HandWorked()
    {
        float[] y = [1, -2, 3, float.NaN, 0, -1]; // (2, 3)
        CpuKernels.AddBiasRelu<float>(y, [0.5f, 1f, -4f], 2, 3);
        Assert.That(y[..3], Is.EqualTo(new[] { 1.5f, 0f, 0f }));
        Assert.That(y[3], Is.NaN, "relu keeps NaN");
        Assert.That(y[4..], Is.EqualTo(new[] { 1f, 0f }));
    }

    [Test]
    public void Axpy_AllLengths_BitwiseEqualReference()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values<float>(n, seed: 22, range: 3);
            var y0 = Values<float>(n, seed: 23, range: 3);
            var (expected, actual) = (y0.ToArray(), y0.ToArray());
            FusedReference.Axpy(-0.37f, x, expected);
            CpuKernels.Axpy(-0.37f, x, actual);
            AssertBitwiseEqual<float>(expected, actual, $"axpy<float> n={n}");

            var xd = Values<double>(n, seed: 22, range: 3);
            var yd0 = Values<double>(n, seed: 23, range: 3);
            var (expectedD, actualD) = (yd0.ToArray(), yd0.ToArray());
            FusedReference.Axpy(1.25, xd, expectedD);
            CpuKernels.Axpy(1.25, xd, actualD);
            AssertBitwiseEqual<double>(expectedD, actualD, $"axpy<double> n={n}");
        }
        float[] y = [1, 2];
        CpuKernels.Axpy<float>(2f, [10f, 20f], y);
        Assert.That(y, Is.EqualTo(new[] { 21f, 42f }));
    }

    // (beta1, weight decay, decoupled): Adam, Adam + L2, AdamW, and beta1 = 0.3 for torch's other lerp form.
    private static readonly object[] AdamConfigs =
        [new object[] { 0.9, 0.0, false }, new object[] { 0.9, 0.01, false }, new object[] { 0.9, 0.01, true }, new object[] { 0.3, 0.1, true }];

    [TestCaseSource(nameof(AdamConfigs))]
    public void AdamStep_AllLengths_ThreeSteps_BitwiseEqualReference(double beta1, double weightDecay, bool decoupled)
    {
        CheckAdam<float>(beta1, weightDecay, decoupled);
        CheckAdam<double>(beta1, weightDecay, decoupled);
    }

    private static void CheckAdam<T>(double beta1, double weightDecay, bool decoupled) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(1e-3), b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(0.999);
        T eps = T.CreateTruncating(1e-8), wd = T.CreateTruncating(weightDecay);
        for (int n = 0; n <= MaxLength; n++)
        {
            var p = Values<T>(n, seed: 24, range: 1, withSpecials: false);
            var (pr, mr, vr) = (p.ToArray(), new T[n], new T[n]);
            var (pf, mf, vf) = (p.ToArray(), new T[n], new T[n]);
            for (int step = 1; step <= 3; step++)
            {
                var g = Values<T>(n, seed: 25 + step, range: 1, withSpecials: false);
                FusedReference.AdamStep<T>(pr, g, mr, vr, lr, b1, b2, eps, wd, decoupled, step);
                CpuKernels.AdamStep<T>(pf, g, mf, vf, lr, b1, b2, eps, wd, decoupled, step);
            }
            string what = $"adam<{typeof(T).Name}> b1={beta1} wd={weightDecay} decoupled={decoupled} n={n}";
            AssertBitwiseEqual<T>(pr, pf, what + " param");
            AssertBitwiseEqual<T>(mr, mf, what + " m");
            AssertBitwiseEqual<T>(vr, vf, what + " v");
        }
    }

    [Test]
    public void AdamStep_FirstStep_MovesEachWeightByLrTimesSignOfGrad()
    {
        // Step 1 from m = v = 0: m̂ = g and v̂ = g², so p -= lr·g/(|g| + eps) ≈ lr·sign(g) (Kingma & Ba).
        double[] p = [1, 1, 1], g = [0.5, -2, 1e-3];
        double[] m = new double[3], v = new double[3];
        CpuKernels.AdamStep<double>(p, g, m, v, 0.1, 0.9, 0.999, 1e-8, 0.0, false, 1);
        for (int i = 0; i < 3; i++)
            Assert.That(p[i], Is.EqualTo(1 - 0.1 * g[i] / (Math.Abs(g[i]) + 1e-8)).Within(1e-12), $"p[{i}]");
        Assert.That(m, Is.EqualTo(new[] { 0.05, -0.2, 1e-4 }).Within(1e-15));

        // AdamW with zero gradient only decays: p = 1·(1 - lr·wd).
        double[] q = [2.0];
        CpuKernels.AdamStep<double>(q, [0.0], new double[1], new double[1], 0.1, 0.9, 0.999, 1e-8, 0.5, true, 1);
        Assert.That(q[0], Is.EqualTo(2.0 * (1 - 0.05)).Within(1e-15));
    }

    // (momentum, dampening, weight decay, nesterov)
    private static readonly object[] SgdConfigs =
        [new object[] { 0.0, 0.0, 0.0, false }, new object[] { 0.0, 0.0, 0.01, false }, new object[] { 0.9, 0.0, 0.0, false },
         new object[] { 0.9, 0.1, 0.01, false }, new object[] { 0.9, 0.0, 0.01, true }];

    [TestCaseSource(nameof(SgdConfigs))]
    public void SgdStep_AllLengths_ThreeSteps_BitwiseEqualReference(double momentum, double dampening, double weightDecay, bool nesterov)
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var p = Values<float>(n, seed: 30, range: 1, withSpecials: false);
            var (pr, br) = (p.ToArray(), new float[n]);
            var (pf, bf) = (p.ToArray(), new float[n]);
            for (int step = 1; step <= 3; step++)
            {
                var g = Values<float>(n, seed: 31 + step, range: 1, withSpecials: false);
                FusedReference.SgdStep<float>(pr, g, br, 0.05f, (float)momentum, (float)dampening, (float)weightDecay, nesterov, step);
                CpuKernels.SgdStep<float>(pf, g, bf, 0.05f, (float)momentum, (float)dampening, (float)weightDecay, nesterov, step);
            }
            string what = $"sgd m={momentum} d={dampening} wd={weightDecay} nesterov={nesterov} n={n}";
            AssertBitwiseEqual<float>(pr, pf, what + " param");
            AssertBitwiseEqual<float>(br, bf, what + " buffer");
        }
    }

    [Test]
    public void SgdStep_Momentum_HandWorked()
    {
        // torch.optim.SGD(lr=0.1, momentum=0.5), constant g = 1: buf = 1, then 1.5; p = 1 - 0.1 - 0.15.
        double[] p = [1.0], buf = new double[1];
        CpuKernels.SgdStep<double>(p, [1.0], buf, 0.1, 0.5, 0.0, 0.0, false, 1);
        CpuKernels.SgdStep<double>(p, [1.0], buf, 0.1, 0.5, 0.0, 0.0, false, 2);
        Assert.That(buf[0], Is.EqualTo(1.5));
        Assert.That(p[0], Is.EqualTo(0.75).Within(1e-15));

        // Plain SGD needs no buffer.
        float[] q = [1f];
        CpuKernels.SgdStep<float>(q, [2f], [], 0.25f, 0f, 0f, 0f, false, 1);
        Assert.That(q[0], Is.EqualTo(0.5f));
    }

    [Test]
    public void BadArguments_ThrowNamingTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.AddBiasRows<float>(new float[6], new float[2], 2, 3));
        Assert.That(ex!.Message, Does.Contain("add bias").And.Contain("bias"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.AddBiasRelu<float>(new float[5], new float[3], 2, 3));
        Assert.That(ex!.Message, Does.Contain("add bias relu"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.Axpy<float>(1f, new float[2], new float[3]));
        Assert.That(ex!.Message, Does.Contain("axpy"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.AdamStep<float>(new float[3], new float[3], new float[2], new float[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 1));
        Assert.That(ex!.Message, Does.Contain("adam").And.Contain("m (first moment)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuKernels.AdamStep<float>(new float[3], new float[3], new float[3], new float[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 0));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.SgdStep<float>(new float[3], new float[3], new float[0], 0.1f, 0.9f, 0f, 0f, false, 1));
        Assert.That(ex!.Message, Does.Contain("sgd").And.Contain("momentum buffer"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.SgdStep<float>(new float[3], new float[3], new float[3], 0.1f, 0.9f, 0.5f, 0f, true, 1));
        Assert.That(ex!.Message, Does.Contain("Nesterov"));
    }

    // Above its threshold Adam splits the parameter over two threads; every element's update is its
    // own, so the result must be bitwise the single-threaded one (odd length: the halves differ).
    [Test]
    public void Adam_TwoThreads_BitwiseEqualsOneThread()
    {
        const int n = (1 << 17) + 37;
        var random = new Random(5);
        float[] Fill() => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] p0 = Fill(), g = Fill(), m0 = Fill(), v0 = Fill().Select(Math.Abs).ToArray();
        (float[] P, float[] M, float[] V) Run(int threads)
        {
            using var _ = CpuThreads.Use(threads);
            float[] p = (float[])p0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone();
            CpuKernels.AdamStep<float>(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled: true, step: 3);
            return (p, m, v);
        }
        var one = Run(1);
        var two = Run(2);
        Assert.That(two.P, Is.EqualTo(one.P));
        Assert.That(two.M, Is.EqualTo(one.M));
        Assert.That(two.V, Is.EqualTo(one.V));
        Assert.That(one.P, Is.Not.EqualTo(p0));
    }
}
