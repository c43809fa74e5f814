using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

// The GpuDevice convolution, pooling and batch-norm entry points, below the tensor layer: their
// argument checks, and the kernels against CpuKernels on shapes the tensor tests do not reach
// (padding larger than the kernel, a 1×1 output, strides that skip input pixels entirely).
// The numerical comparison of every op on ordinary shapes is in Scratch.Tensor.Tests/GpuConvTests.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuConvDeviceTests(string simulator)
{
    private GpuDevice Device => GpuSimulator.Get(simulator);

    // (N, C, H, W, O, KH, KW, stride, padding, dilation)
    [TestCase(1, 2, 3, 3, 2, 2, 2, 1, 3, 1)]   // padding 3 > kernel 2: whole patches of zeros
    [TestCase(2, 1, 5, 5, 1, 5, 5, 1, 0, 1)]   // the kernel covers the image: a 1×1 output
    [TestCase(1, 1, 7, 7, 2, 1, 1, 3, 0, 1)]   // stride 3 with a 1×1 kernel: pixels no output reads get zero gradient
    public void Conv2d_EdgeGeometries_MatchCpuKernels(int n, int c, int h, int w, int o, int kh, int kw, int stride, int padding, int dilation)
    {
        var s = new Conv2dShape(n, c, h, w, o, kh, kw, stride, stride, padding, padding, dilation, dilation);
        var x = GpuTestData.Uniform(s.InputLength, 1);
        var weight = GpuTestData.Uniform(s.WeightLength, 2);
        var bias = GpuTestData.Uniform(o, 3);
        var dy = GpuTestData.Uniform(s.OutputLength, 4);
        var (colLength, bigLength) = GpuDevice.Conv2dScratch(s);
        using var col = Device.Allocate(colLength);
        using var big = Device.Allocate(bigLength);
        using var xs = Device.Upload(x);
        using var ws = Device.Upload(weight);
        using var bs = Device.Upload(bias);
        using var dys = Device.Upload(dy);
        using var y = Device.Allocate(s.OutputLength);
        using var dx = Device.Upload(GpuTestData.Uniform(s.InputLength, 5));   // garbage: the kernel must overwrite it
        using var dw = Device.Upload(GpuTestData.Uniform(s.WeightLength, 6));

        Device.Conv2dForward(s, xs.View, ws.View, bs.View, y.View, col.View, big.View);
        Device.Conv2dBackwardInput(s, dys.View, ws.View, dx.View, col.View, big.View);
        Device.Conv2dBackwardWeight(s, xs.View, dys.View, dw.View, col.View, big.View);

        var yCpu = new float[s.OutputLength];
        var dxCpu = new float[s.InputLength];
        var dwCpu = new float[s.WeightLength];
        CpuKernels.Conv2dForward<float>(s, x, weight, bias, yCpu);
        CpuKernels.Conv2dBackwardInput<float>(s, dy, weight, dxCpu);
        CpuKernels.Conv2dBackwardWeight<float>(s, x, dy, dwCpu);
        GpuTestData.AssertClose(yCpu, y.ToArray(), 1e-5, c * kh * kw, "y");
        GpuTestData.AssertClose(dxCpu, dx.ToArray(), 1e-5, o * kh * kw, "dx");
        GpuTestData.AssertClose(dwCpu, dw.ToArray(), 1e-5, n * s.OutHeight * s.OutWidth, "dw");
    }

    [Test]
    public void BadArguments_NameTheOpAndTheOperand()
    {
        var s = new Conv2dShape(1, 1, 4, 4, 1, 3, 3);
        using var buffer = Device.Allocate(16);
        var ex = Assert.Throws<ArgumentException>(() =>
            Device.Conv2dForward(s, buffer.View, buffer.View, null, buffer.View, buffer.View.SubView(0, 8), buffer.View));
        Assert.That(ex!.Message, Does.StartWith("GpuDevice.Conv2dForward: col scratch"));

        ex = Assert.Throws<ArgumentException>(() => Device.MaxPool2dForward(new Pool2dShape(1, 1, 4, 4, 2, 2, 2, 2, 2, 2),
            buffer.View, buffer.View, buffer.View));
        Assert.That(ex!.Message, Does.StartWith("GpuDevice.MaxPool2dForward: invalid geometry").And.Contain("padding (2, 2)"));

        ex = Assert.Throws<ArgumentException>(() => Device.BatchNormStatistics(buffer.View, 2, 2, 4, buffer.View.SubView(0, 3), buffer.View.SubView(0, 2)));
        Assert.That(ex!.Message, Does.StartWith("GpuDevice.BatchNormStatistics: mean has length 3, expected 2"));
    }
}
