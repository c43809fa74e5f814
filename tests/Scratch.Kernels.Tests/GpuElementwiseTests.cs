using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;
using static Scratch.Kernels.Tests.Gpu.GpuTestData;

namespace Scratch.Kernels.Tests.Gpu;

// Every elementwise op on the ILGPU CPU simulator against Cpu.Reference, lengths 0..1000,
// with NaN, ±Inf, ±0 and large values mixed in.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuElementwiseTests(string simulator)
{
    private const double Rel = 1e-5, Floor = 1e-30;
    private GpuDevice Device => GpuSimulator.Get(simulator);

    [Test]
    public void Unary_MatchesReference([Values] UnaryOp op, [ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        var x = WithSpecials(n, seed: 1);
        var expected = new float[n];
        Reference.Unary<float>(op, x, expected);
        using var xd = Device.Upload(x);
        using var yd = Device.Allocate(n);
        Device.Unary(op, xd.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, Floor, $"{op}");
    }

    [Test]
    public void Binary_AllForms_MatchReference([Values] BinaryOp op, [ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        var a = WithSpecials(n, seed: 2);
        var b = Uniform(n, seed: 3, -4, 4);
        if (op == BinaryOp.Pow) RoundHalfToIntegers(b);   // negative bases need integer exponents
        const float s = -3f;
        using var ad = Device.Upload(a);
        using var bd = Device.Upload(b);
        using var yd = Device.Allocate(n);
        var expected = new float[n];

        Reference.Binary<float>(op, a, b, expected);
        Device.Binary(op, ad.View, bd.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, Floor, $"{op}(a, b)");

        Reference.BinaryScalar<float>(op, a, s, expected);
        Device.BinaryScalar(op, ad.View, s, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, Floor, $"{op}(a, s)");

        Reference.ScalarBinary<float>(op, s, b, expected);
        Device.ScalarBinary(op, s, bd.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, Floor, $"{op}(s, b)");
    }

    [TestCase(0, 5)]
    [TestCase(3, 0)]
    [TestCase(1, 1)]
    [TestCase(7, 33)]
    [TestCase(33, 7)]
    [TestCase(4, 257)]
    public void Broadcasts_MatchReference(int rows, int cols)
    {
        var a = Uniform(rows * cols, seed: 4);
        var rowVector = Uniform(cols, seed: 5);
        var columnVector = Uniform(rows, seed: 6);
        using var ad = Device.Upload(a);
        using var rd = Device.Upload(rowVector);
        using var cd = Device.Upload(columnVector);
        using var yd = Device.Allocate(rows * cols);
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            var expected = new float[rows * cols];
            for (int i = 0; i < expected.Length; i++) expected[i] = Reference.Apply(op, a[i], rowVector[i % cols]);
            Device.BinaryRowBroadcast(op, ad.View, rd.View, rows, cols, yd.View);
            AssertClose(expected, yd.ToArray(), Rel, Floor, $"{op} row broadcast");

            for (int i = 0; i < expected.Length; i++) expected[i] = Reference.Apply(op, a[i], columnVector[i / cols]);
            Device.BinaryColumnBroadcast(op, ad.View, cd.View, rows, cols, yd.View);
            AssertClose(expected, yd.ToArray(), Rel, Floor, $"{op} column broadcast");
        }
    }

    [Test]
    public void Clamp_MatchesReference_AndKeepsNaN([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        var x = WithSpecials(n, seed: 7);
        var expected = new float[n];
        Reference.Clamp<float>(x, -2.5f, 4f, expected);
        using var xd = Device.Upload(x);
        using var yd = Device.Allocate(n);
        Device.Clamp(xd.View, -2.5f, 4f, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, Floor, "Clamp");
    }

    [Test]
    public void Unary_OnASlice_WritesOnlyTheSlice()
    {
        float[] x = [1, 2, 3, 4, 5, 6];
        using var buffer = Device.Upload(x);
        Device.Unary(UnaryOp.Neg, buffer.Slice(2, 3), buffer.Slice(2, 3));
        Assert.That(buffer.ToArray(), Is.EqualTo(new float[] { 1, 2, -3, -4, -5, 6 }));
    }

    [Test]
    public void Binary_LengthMismatch_ThrowsNamingTheOperand()
    {
        using var a = Device.Allocate(4);
        using var b = Device.Allocate(3);
        var error = Assert.Throws<ArgumentException>(() => Device.Binary(BinaryOp.Add, a.View, b.View, a.View));
        Assert.That(error!.Message, Does.Contain("GpuDevice.Binary").And.Contain("b has length 3"));
    }

    private static void RoundHalfToIntegers(float[] b)
    {
        for (int i = 0; i < b.Length; i += 2) b[i] = MathF.Round(b[i]);
    }
}
