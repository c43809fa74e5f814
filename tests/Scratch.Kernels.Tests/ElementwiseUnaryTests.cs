using System.Numerics;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Elementwise;
using static Scratch.Kernels.Tests.ElementwiseTestData;

namespace Scratch.Kernels.Tests;

// CpuKernels.Unary against Reference.Unary for every length 0..257, float and double, with NaN, ±Inf
// and ±0 mixed in. Exact ops must match bit for bit; exp-based ops within a few ulps.
public class ElementwiseUnaryTests
{
    // The ulp bounds of the vector transcendental paths: the worst seen over these inputs (in
    // brackets, float/double) plus a little margin. exp/log are .NET's vector (AOCL) kernels [2/2, 1/1];
    // sigmoid adds an add and a divide [4/4]; tanh is a series or exp - 1, then a divide [3/3];
    // softplus rebuilds log1p from log (Goldberg), which costs a few ulps more [4/4].
    private static long UlpBound(UnaryOp op) => op switch
    {
        UnaryOp.Exp or UnaryOp.Log => 2,
        UnaryOp.Sigmoid or UnaryOp.Tanh => 5,
        UnaryOp.Softplus => 6,
        _ => 0,
    };

    // Inputs that exercise each op's whole range: exp over/underflows, log gets zeros and negatives.
    private static double Range(UnaryOp op) => op switch
    {
        UnaryOp.Exp => 120,        // float exp overflows above 88.7, underflows below -103
        UnaryOp.Log => 1e6,
        UnaryOp.Sigmoid or UnaryOp.Softplus => 60,
        UnaryOp.Tanh => 12,
        _ => 1e3,
    };

    [Test]
    public void Unary_Float_MatchesReference_AllLengths([Values] UnaryOp op) => CheckAllLengths<float>(op);

    [Test]
    public void Unary_Double_MatchesReference_AllLengths([Values] UnaryOp op) => CheckAllLengths<double>(op);

    // CpuKernels sends Exp and Sigmoid to TensorPrimitives (faster); the operator structs stay in the
    // engine as the readable version and must hold the same bounds.
    [Test]
    public void ExpAndSigmoidOperators_MatchReference_AllLengths()
    {
        CheckAllLengths<float>(UnaryOp.Exp, (x, y) => ElementwiseLoops.Unary<float, ExpOperator<float>>(x, y));
        CheckAllLengths<double>(UnaryOp.Exp, (x, y) => ElementwiseLoops.Unary<double, ExpOperator<double>>(x, y));
        CheckAllLengths<float>(UnaryOp.Sigmoid, (x, y) => ElementwiseLoops.Unary<float, SigmoidOperator<float>>(x, y));
        CheckAllLengths<double>(UnaryOp.Sigmoid, (x, y) => ElementwiseLoops.Unary<double, SigmoidOperator<double>>(x, y));
    }

    private delegate void Kernel<T>(ReadOnlySpan<T> x, Span<T> y);

    private static void CheckAllLengths<T>(UnaryOp op, Kernel<T>? kernel = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        kernel ??= (x, y) => CpuKernels.Unary<T>(op, x, y);
        long worst = 0;
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values<T>(n, seed: (int)op, Range(op), positiveOnly: op is UnaryOp.Log or UnaryOp.Sqrt && n % 2 == 0);
            var expected = new T[n];
            var actual = new T[n];
            Reference.Unary<T>(op, x, expected);
            kernel(x, actual);
            string what = $"{op}<{typeof(T).Name}> n={n}";
            if (UlpBound(op) == 0) AssertBitwiseEqual<T>(expected, actual, what);
            else worst = Math.Max(worst, AssertWithinUlps<T>(expected, actual, UlpBound(op), what, x));
        }
        TestContext.Out.WriteLine($"{op}<{typeof(T).Name}>: worst {worst} ulps");
    }

    [Test]
    public void Unary_InPlace_MatchesOutOfPlace([Values(UnaryOp.Exp, UnaryOp.Relu, UnaryOp.Softplus, UnaryOp.Tanh)] UnaryOp op)
    {
        // The overlapping last vector must read the ORIGINAL inputs even when y is x.
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values<float>(n, seed: 11, range: 5);
            var expected = new float[n];
            CpuKernels.Unary<float>(op, x, expected);
            CpuKernels.Unary<float>(op, x, x);
            AssertBitwiseEqual<float>(expected, x, $"{op} in place n={n}");
        }
    }

    [Test]
    public void SpecialValues_FollowTheDocumentedRules()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e4f, -1e4f,
                     float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e4f, -1e4f, 2f, -2f];
        float[] y = new float[x.Length];

        CpuKernels.Unary<float>(UnaryOp.Relu, x, y);
        Assert.That(y[0], Is.NaN, "relu(NaN)");
        Assert.That(y[2], Is.EqualTo(0f), "relu(-inf)");
        CpuKernels.Unary<float>(UnaryOp.Exp, x, y);
        Assert.That((y[0], y[1], y[2]), Is.EqualTo((float.NaN, float.PositiveInfinity, 0f)), "exp(NaN, inf, -inf)");
        CpuKernels.Unary<float>(UnaryOp.Log, x, y);
        Assert.That((y[3], y[4], y[1], y[15]), Is.EqualTo((float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity, float.NaN)), "log(-0, 0, inf, -2)");
        CpuKernels.Unary<float>(UnaryOp.Sigmoid, x, y);
        Assert.That((y[1], y[2], y[5], y[6]), Is.EqualTo((1f, 0f, 1f, 0f)), "sigmoid(±inf, ±1e4)");
        Assert.That(y[0], Is.NaN, "sigmoid(NaN)");
        CpuKernels.Unary<float>(UnaryOp.Tanh, x, y);
        Assert.That((y[1], y[2]), Is.EqualTo((1f, -1f)), "tanh(±inf)");
        CpuKernels.Unary<float>(UnaryOp.Softplus, x, y);
        Assert.That((y[1], y[2], y[5], y[6]), Is.EqualTo((float.PositiveInfinity, 0f, 1e4f, 0f)), "softplus(±inf, ±1e4)");
        CpuKernels.Unary<float>(UnaryOp.Sign, x, y);
        Assert.That(y[0], Is.NaN, "sign(NaN)");
        Assert.That((y[1], y[2], y[3], y[14], y[15]), Is.EqualTo((1f, -1f, 0f, 1f, -1f)), "sign");
    }

    [Test]
    public void Tanh_DenseSweep_WithinUlpBound()
    {
        // Every region of the vector tanh: the series (|x| < 0.35), the switch point, exp - 1, saturation.
        Sweep<float>();
        Sweep<double>();

        static void Sweep<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = Enumerable.Range(-4000, 8001).Select(i => T.CreateTruncating(i * 0.001)).ToArray();
            var expected = new T[x.Length];
            var actual = new T[x.Length];
            Reference.Unary<T>(UnaryOp.Tanh, x, expected);
            CpuKernels.Unary<T>(UnaryOp.Tanh, x, actual);
            long worst = AssertWithinUlps<T>(expected, actual, UlpBound(UnaryOp.Tanh), $"tanh<{typeof(T).Name}> sweep", x);
            TestContext.Out.WriteLine($"tanh<{typeof(T).Name}> sweep: worst {worst} ulps");
        }
    }

    [Test]
    public void Softplus_VeryNegative_KeepsRelativeAccuracy()
    {
        // log(1 + e) would round to 0 here; log1p keeps e. 16 lanes so the vector path runs.
        var x = Enumerable.Range(0, 16).Select(i => -20f - i).ToArray();
        var y = new float[16];
        CpuKernels.Unary<float>(UnaryOp.Softplus, x, y);
        for (int i = 0; i < 16; i++)
            Assert.That(y[i], Is.EqualTo(MathF.Exp(x[i])).Within(4e-7 * MathF.Exp(x[i])), $"softplus({x[i]})");
    }

    [Test]
    public void LengthMismatch_ThrowsNamingTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.Unary<float>(UnaryOp.Exp, new float[3], new float[4]));
        Assert.That(ex!.Message, Does.Contain("Exp"));
    }
}
