using static Scratch.TensorTests.GpuCheck;

namespace Scratch.TensorTests;

// Convolution, pooling and batch norm on ilgpu-cpu against the CPU kernels (Kernels/Gpu ConvKernels,
// PoolKernels, BatchNormKernels vs Kernels/Cpu/Conv). Odd sizes, stride > 1, padding, dilation,
// batch 1; small shapes because the simulator runs each GPU thread as a managed thread step.
public class GpuConvTests
{
    private const double Rel = 1e-4;

    // (N, C, H, W, O, KH, KW, stride, padding, dilation)
    private static readonly object[] ConvCases =
    [
        new object[] { 1, 1, 5, 5, 1, 3, 3, 1, 0, 1 },     // batch 1, one channel, valid convolution
        new object[] { 2, 3, 7, 6, 4, 3, 2, 2, 1, 1 },     // stride 2, padding, a non-square kernel
        new object[] { 1, 2, 9, 8, 3, 3, 3, 2, 2, 2 },     // dilation 2 with padding 2 and stride 2
        new object[] { 3, 5, 6, 7, 2, 1, 1, 1, 0, 1 },     // a 1×1 convolution: a GEMM over channels
        new object[] { 2, 1, 8, 8, 3, 4, 4, 2, 1, 1 },     // the conv VAE's 4×4 stride-2 padding-1 layers
    ];

    [TestCaseSource(nameof(ConvCases))]
    public void Conv2d_ForwardAndBothGradients_MatchCpu(int n, int c, int h, int w, int o, int kh, int kw, int stride, int padding, int dilation)
    {
        var x = Random([n, c, h, w], 101);
        var weight = Random([o, c, kh, kw], 102);
        var bias = Random([o], 103);
        var y = Tensor.Conv2d(x, weight, bias, stride, padding, dilation);
        var yGpu = Tensor.Conv2d(x.To(Sim), weight.To(Sim), bias.To(Sim), stride, padding, dilation);
        // Each output sums C·KH·KW products of values in [−1, 1): judge the error against that scale.
        double terms = c * kh * kw;
        Matches(y, yGpu, Rel, terms, "conv2d");
        Matches(Tensor.Conv2d(x, weight, null, stride, padding, dilation),
            Tensor.Conv2d(x.To(Sim), weight.To(Sim), null, stride, padding, dilation), Rel, terms, "conv2d without bias");

        var dy = Random(y.ShapeArray, 104);
        var dx = Tensor.Conv2dBackwardInput(dy, weight, (h, w), stride, padding, dilation);
        var dxGpu = Tensor.Conv2dBackwardInput(dy.To(Sim), weight.To(Sim), (h, w), stride, padding, dilation);
        Matches(dx, dxGpu, Rel, o * kh * kw, "conv2d input gradient");
        var dw = Tensor.Conv2dBackwardWeight(x, dy, (kh, kw), stride, padding, dilation);
        var dwGpu = Tensor.Conv2dBackwardWeight(x.To(Sim), dy.To(Sim), (kh, kw), stride, padding, dilation);
        Matches(dw, dwGpu, Rel, n * y.Size(2) * y.Size(3), "conv2d weight gradient");
    }

    [TestCase(1, 3, 4, 5, 2, 1, 1, 1)]   // stride 1, batch 1
    [TestCase(2, 4, 3, 3, 2, 1, 1, 1)]   // stride 2 with output_padding 1: the conv VAE's decoder shape
    [TestCase(2, 2, 5, 4, 3, 2, 2, 2)]   // stride 3, padding 2, output_padding 2, dilation 2
    public void ConvTranspose2d_MatchesCpu(int n, int cin, int h, int w, int stride, int padding, int outputPadding, int dilation)
    {
        var x = Random([n, cin, h, w], 111);
        var weight = Random([cin, 3, 3, 3], 112);
        var bias = Random([3], 113);
        var y = Tensor.ConvTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation);
        var yGpu = Tensor.ConvTranspose2d(x.To(Sim), weight.To(Sim), bias.To(Sim), stride, padding, outputPadding, dilation);
        Matches(y, yGpu, Rel, cin * 9, "conv_transpose2d");
    }

    // (kernel, stride, padding) over an odd 7×9 image
    [TestCase(2, 2, 0)]
    [TestCase(3, 2, 1)]
    [TestCase(3, 1, 1)]
    [TestCase(1, 3, 0)]
    public void MaxPool2d_ValuesArgmaxAndGradient_MatchCpu(int kernel, int stride, int padding)
    {
        // Whole numbers in a small range: many ties, so the "first maximum wins" rule is exercised.
        var x = Tensor.FromArray(Array.ConvertAll(Random([2, 3, 7, 9], 121, -3, 3).ToArray<float>(), MathF.Floor), [2, 3, 7, 9]);
        var (y, argmax) = Tensor.MaxPool2d(x, kernel, stride, padding);
        var (yGpu, argmaxGpu) = Tensor.MaxPool2d(x.To(Sim), kernel, stride, padding);
        Matches(y, yGpu, 0, what: "max_pool2d");
        Matches(argmax, argmaxGpu, 0, what: "max_pool2d argmax");

        var s = Tensor.PoolShape("max_pool2d", x, kernel, stride, padding);
        var dy = Random(y.ShapeArray, 122);
        Matches(Tensor.MaxPool2dBackward(dy, argmax, s), Tensor.MaxPool2dBackward(dy.To(Sim), argmaxGpu, s), Rel, 1, "max_pool2d gradient");
    }

    [Test]
    public void MaxPool2d_NaNWinsItsWindow_LikeTheCpu()
    {
        var x = Random([1, 1, 4, 4], 123);
        var values = x.ToArray<float>();
        values[5] = float.NaN;
        x = Tensor.FromArray(values, [1, 1, 4, 4]);
        var (y, argmax) = Tensor.MaxPool2d(x, 2, 2);
        var (yGpu, argmaxGpu) = Tensor.MaxPool2d(x.To(Sim), 2, 2);
        Matches(y, yGpu, 0, what: "max_pool2d with NaN");
        Matches(argmax, argmaxGpu, 0, what: "max_pool2d argmax with NaN");
    }

    [TestCase(2, 2, 0)]
    [TestCase(3, 2, 1)]
    [TestCase(3, 1, 1)]
    public void AvgPool2d_ForwardAndGradient_MatchCpu(int kernel, int stride, int padding)
    {
        var x = Random([1, 2, 7, 9], 131);
        var y = Tensor.AvgPool2d(x, kernel, stride, padding);
        Matches(y, Tensor.AvgPool2d(x.To(Sim), kernel, stride, padding), Rel, 1, "avg_pool2d");
        var s = Tensor.PoolShape("avg_pool2d", x, kernel, stride, padding);
        var dy = Random(y.ShapeArray, 132);
        Matches(Tensor.AvgPool2dBackward(dy, s), Tensor.AvgPool2dBackward(dy.To(Sim), s), Rel, 1, "avg_pool2d gradient");
    }

    // (N, C, H, W) → BatchNorm2d; H = W = 0 means (N, C), BatchNorm1d.
    [TestCase(1, 3, 5, 7)]
    [TestCase(4, 2, 3, 3)]
    [TestCase(37, 5, 0, 0)]
    public void BatchNorm_StatisticsApplyAndBackward_MatchCpu(int n, int c, int h, int w)
    {
        int[] shape = h == 0 ? [n, c] : [n, c, h, w];
        var x = Random(shape, 141, 1, 3);   // an offset mean: the variance must not come from E[x²] − E[x]²
        var (mean, variance) = Tensor.BatchNormStatistics(x);
        var xGpu = x.To(Sim);
        var (meanGpu, varianceGpu) = Tensor.BatchNormStatistics(xGpu);
        Matches(mean, meanGpu, Rel, 1, "mean");
        Matches(variance, varianceGpu, 1e-3, 0.3, "variance");

        // From here both devices use the CPU's statistics, so each kernel is compared on its own.
        var invStd = (variance + 1e-5).Sqrt().Reciprocal();
        var gamma = Random([c], 142);
        var beta = Random([c], 143);
        foreach (bool affine in new[] { true, false })
        {
            var y = Tensor.BatchNormApply(x, mean, invStd, affine ? gamma : null, affine ? beta : null);
            var yGpu = Tensor.BatchNormApply(xGpu, mean.To(Sim), invStd.To(Sim), affine ? gamma.To(Sim) : null, affine ? beta.To(Sim) : null);
            Matches(y, yGpu, Rel, 1, $"batch_norm apply (affine {affine})");
        }

        var dy = Random(shape, 144);
        foreach (bool training in new[] { true, false })
        {
            var (dx, dgamma, dbeta) = Tensor.BatchNormBackward(x, dy, mean, invStd, gamma, training, needGammaBeta: true);
            var (dxGpu, dgammaGpu, dbetaGpu) = Tensor.BatchNormBackward(xGpu, dy.To(Sim), mean.To(Sim), invStd.To(Sim), gamma.To(Sim),
                training, needGammaBeta: true);
            double m = x.Numel / c;
            Matches(dx, dxGpu, 1e-3, 1, $"batch_norm dx (training {training})");
            Matches(dgamma!, dgammaGpu!, Rel, m, "dgamma");
            Matches(dbeta!, dbetaGpu!, Rel, m, "dbeta");
        }
    }
}
