using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;
using static Scratch.Kernels.Tests.Gpu.GpuTestData;

namespace Scratch.Kernels.Tests.Gpu;

// Fill, Copy, StridedCopy and the fused bias + activation, on the ILGPU CPU simulator.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuLayoutTests(string simulator)
{
    private GpuDevice Device => GpuSimulator.Get(simulator);

    [Test]
    public void Fill_And_Copy([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        using var a = Device.Allocate(n);
        using var b = Device.Allocate(n);
        Device.Fill(a.View, 2.5f);
        Device.Copy(a.View, b.View);
        Assert.That(b.ToArray(), Is.EqualTo(Enumerable.Repeat(2.5f, n).ToArray()));
    }

    [Test]
    public void StridedCopy_OfATranspose_IsTheTranspose()
    {
        var x = Uniform(7 * 33, seed: 91);              // (7, 33)
        using var xd = Device.Upload(x);
        using var yd = Device.Allocate(33 * 7);
        Device.StridedCopy(xd.View, [33, 7], [1, 33], yd.View);   // xᵀ: (33, 7)
        var y = yd.ToArray();
        for (int i = 0; i < 33; i++)
        for (int j = 0; j < 7; j++)
            Assert.That(y[i * 7 + j], Is.EqualTo(x[j * 33 + i]), $"[{i}, {j}]");
    }

    [Test]
    public void StridedCopy_Rank4WithOffsetAndBroadcast_MatchesLoop()
    {
        // x: (2, 3, 4, 5) dense; the view: x[:, 1:, ::2, 0] broadcast over a new axis of 3 (stride 0),
        // starting at element offset 20 (x[0, 1, 0, 0]).
        var x = Uniform(120, seed: 92);
        int[] sizes = [2, 2, 2, 3];
        long[] strides = [60, 20, 10, 0];
        var expected = new List<float>();
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++) for (int d = 0; d < 3; d++)
            expected.Add(x[20 + a * 60 + b * 20 + c * 10 + d * 0]);
        using var xd = Device.Upload(x);
        using var yd = Device.Allocate(expected.Count);
        Device.StridedCopy(xd.Slice(20, 100), sizes, strides, yd.View);
        Assert.That(yd.ToArray(), Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public void StridedCopy_ViewBeyondTheBuffer_Throws()
    {
        using var x = Device.Allocate(10);
        using var y = Device.Allocate(6);
        var error = Assert.Throws<ArgumentException>(() => Device.StridedCopy(x.View, [2, 3], [5, 3], y.View));
        Assert.That(error!.Message, Does.Contain("GpuDevice.StridedCopy").And.Contain("needs at least 12"));
    }

    [Test]
    public void BiasActivation_MatchesAddThenUnary([Values] UnaryOp activation)
    {
        const int rows = 7, cols = 33;
        var a = Uniform(rows * cols, seed: 93, -3, 3);
        var bias = Uniform(cols, seed: 94);
        var expected = new float[rows * cols];
        for (int i = 0; i < expected.Length; i++) expected[i] = Reference.Apply(activation, a[i] + bias[i % cols]);
        using var ad = Device.Upload(a);
        using var bd = Device.Upload(bias);
        using var yd = Device.Allocate(rows * cols);
        Device.BiasActivation(activation, ad.View, bd.View, rows, cols, yd.View);
        AssertClose(expected, yd.ToArray(), 1e-5, 1e-30, $"{activation}(a + bias)");
    }
}
