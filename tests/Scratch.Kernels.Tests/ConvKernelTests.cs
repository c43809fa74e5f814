using System.Numerics;
using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Tests;

// The im2col + GEMM convolution against the nested-loop definition in Reference, for the forward,
// the input gradient and the weight gradient: odd sizes, stride > 1, padding, dilation, batch 1,
// non-square kernels, more output channels than input and fewer, float and double.
public class ConvKernelTests
{
    private static readonly Conv2dShape[] Shapes =
    [
        new(1, 1, 5, 5, 1, 3, 3),                                                  // batch 1, one channel
        new(2, 3, 7, 6, 4, 3, 2, StrideH: 2, StrideW: 1, PadH: 1, PadW: 0),        // odd sizes, non-square kernel
        new(3, 2, 9, 8, 5, 3, 3, StrideH: 2, StrideW: 3, PadH: 2, PadW: 1, DilationH: 2, DilationW: 1),
        new(2, 1, 28, 28, 32, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),     // the conv VAE's first layer
        new(2, 32, 14, 14, 64, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),    // its second
        new(1, 4, 4, 4, 3, 4, 4, PadH: 0, PadW: 0),                                 // kernel = image: 1×1 output
        new(2, 5, 6, 7, 2, 1, 1, StrideH: 2, StrideW: 2),                           // 1×1 kernel, stride 2
        new(1, 2, 5, 5, 3, 2, 3, PadH: 3, PadW: 3, DilationH: 3, DilationW: 2),    // padding wider than half the kernel
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Shapes.Select((s, i) => new TestCaseData(s).SetName($"Conv2d case {i}: {s}"));

    [TestCaseSource(nameof(Cases))]
    public void Float_FastMatchesReference(Conv2dShape s) => Check<float>(s, 2e-5);

    [TestCaseSource(nameof(Cases))]
    public void Double_FastMatchesReference(Conv2dShape s) => Check<double>(s, 1e-12);

    private static void Check<T>(Conv2dShape s, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(s.InputLength, 1);
        var w = Random<T>(s.WeightLength, 2);
        var b = Random<T>(s.OutChannels, 3);
        var dy = Random<T>(s.OutputLength, 4);

        var y = Garbage<T>(s.OutputLength);
        var yRef = new T[s.OutputLength];
        CpuKernels.Conv2dForward<T>(s, x, w, b, y);
        Reference.Conv2dForward<T>(s, x, w, b, yRef);
        AssertClose(y, yRef, tolerance, "forward");

        CpuKernels.Conv2dForward<T>(s, x, w, ReadOnlySpan<T>.Empty, y);
        Reference.Conv2dForward<T>(s, x, w, ReadOnlySpan<T>.Empty, yRef);
        AssertClose(y, yRef, tolerance, "forward without bias");

        var dx = Garbage<T>(s.InputLength);
        var dxRef = Garbage<T>(s.InputLength);
        CpuKernels.Conv2dBackwardInput<T>(s, dy, w, dx);
        Reference.Conv2dBackwardInput<T>(s, dy, w, dxRef);
        AssertClose(dx, dxRef, tolerance, "input gradient");

        var dw = Garbage<T>(s.WeightLength);
        var dwRef = new T[s.WeightLength];
        CpuKernels.Conv2dBackwardWeight<T>(s, x, dy, dw);
        Reference.Conv2dBackwardWeight<T>(s, x, dy, dwRef);
        AssertClose(dw, dwRef, tolerance * 10, "weight gradient");
    }

    [Test]
    public void Reference_IsTheAdjoint_DotProductTest()
    {
        // ⟨conv(x), dy⟩ = ⟨x, conv_backward_input(dy)⟩ and = ⟨w, conv_backward_weight(x, dy)⟩: the three
        // loops are one bilinear form, so a wrong index in any of them breaks one of the equalities.
        var s = new Conv2dShape(2, 3, 7, 6, 4, 3, 2, StrideH: 2, StrideW: 1, PadH: 1, PadW: 2, DilationH: 2, DilationW: 1);
        var x = Random<double>(s.InputLength, 5);
        var w = Random<double>(s.WeightLength, 6);
        var dy = Random<double>(s.OutputLength, 7);
        var y = new double[s.OutputLength];
        var dx = new double[s.InputLength];
        var dw = new double[s.WeightLength];
        Reference.Conv2dForward<double>(s, x, w, ReadOnlySpan<double>.Empty, y);
        Reference.Conv2dBackwardInput<double>(s, dy, w, dx);
        Reference.Conv2dBackwardWeight<double>(s, x, dy, dw);
        double yDy = Dot(y, dy);
        Assert.That(Dot(x, dx), Is.EqualTo(yDy).Within(1e-10 * Math.Abs(yDy)));
        Assert.That(Dot(w, dw), Is.EqualTo(yDy).Within(1e-10 * Math.Abs(yDy)));
    }

    [Test]
    public void Reference_KnownValues_PaddingAndStride()
    {
        // x = 1..16 as a 4×4 image, w = all ones 3×3, padding 1, stride 2: each output is the sum of
        // its 3×3 window, zeros outside. Windows centred at (0,0), (0,2), (2,0), (2,2).
        var s = new Conv2dShape(1, 1, 4, 4, 1, 3, 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1);
        var x = Enumerable.Range(1, 16).Select(v => (double)v).ToArray();
        var w = Enumerable.Repeat(1.0, 9).ToArray();
        var y = new double[4];
        CpuKernels.Conv2dForward<double>(s, x, w, [0.5], y);
        Assert.That(y, Is.EqualTo(new[] { 14.5, 30.5, 57.5, 99.5 }));   // 1+2+5+6, 2+3+4+6+7+8, 5+6+9+10+13+14, 6+7+8+10+11+12+14+15+16
    }

    [Test]
    public void BadGeometry_NamesTheOp()
    {
        var s = new Conv2dShape(1, 1, 2, 2, 1, 3, 3);   // kernel larger than the image
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.Conv2dForward<float>(s, new float[4], new float[9], ReadOnlySpan<float>.Empty, new float[1]));
        Assert.That(ex!.Message, Does.Contain("conv2d").And.Contain("(1, 1, 2, 2)"));
    }

    internal static T[] Random<T>(int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => T.CreateTruncating(rng.NextDouble() * 2 - 1)).ToArray();
    }

    // Outputs start as NaN so a kernel that forgets to write an element fails.
    private static T[] Garbage<T>(int n) where T : unmanaged, IFloatingPointIeee754<T> => Enumerable.Repeat(T.NaN, n).ToArray();

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    internal static void AssertClose<T>(T[] actual, T[] expected, double tolerance, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
        {
            double a = double.CreateTruncating(actual[i]), e = double.CreateTruncating(expected[i]);
            if (!(Math.Abs(a - e) <= tolerance * (1 + Math.Abs(e))))
                Assert.Fail($"{what}: element {i} is {a}, expected {e}");
        }
    }
}
