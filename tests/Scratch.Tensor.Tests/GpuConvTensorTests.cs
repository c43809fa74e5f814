using static Scratch.TensorTests.GpuCheck;

namespace Scratch.TensorTests;

// The convolution family on ilgpu-cpu against the CPU backend: conv2d and its two gradients,
// conv_transpose2d, max and average pooling with their backward, batch norm's statistics, apply
// and backward (train and eval). Small shapes with stride, padding and dilation: the simulator is slow.
public class GpuConvTensorTests
{
    private const double Rel = 1e-4;

    private static readonly object[] ConvCases =
    [
        new object[] { new[] { 2, 3, 7, 6 }, new[] { 4, 3, 3, 2 }, (2, 1), (1, 0), (1, 1) },
        new object[] { new[] { 1, 2, 9, 8 }, new[] { 3, 2, 3, 3 }, (2, 3), (2, 1), (2, 1) },
        new object[] { new[] { 2, 1, 8, 8 }, new[] { 4, 1, 4, 4 }, (2, 2), (1, 1), (1, 1) },
    ];

    [TestCaseSource(nameof(ConvCases))]
    public void Conv2d_ForwardAndGradients_MatchCpu(int[] xShape, int[] wShape, (int, int) stride, (int, int) padding, (int, int) dilation)
    {
        var x = Random(xShape, 1);
        var w = Random(wShape, 2);
        var b = Random([wShape[0]], 3);
        var y = Tensor.Conv2d(x, w, b, stride, padding, dilation);
        Matches(y, Tensor.Conv2d(x.To(Sim), w.To(Sim), b.To(Sim), stride, padding, dilation), Rel, what: "conv2d");
        Matches(Tensor.Conv2d(x, w, null, stride, padding, dilation), Tensor.Conv2d(x.To(Sim), w.To(Sim), null, stride, padding, dilation), Rel, what: "conv2d no bias");
        var dy = Random(y.ShapeArray, 4);
        Size2 input = (xShape[2], xShape[3]), kernel = (wShape[2], wShape[3]);
        Matches(Tensor.Conv2dBackwardInput(dy, w, input, stride, padding, dilation),
            Tensor.Conv2dBackwardInput(dy.To(Sim), w.To(Sim), input, stride, padding, dilation), Rel, what: "input gradient");
        Matches(Tensor.Conv2dBackwardWeight(x, dy, kernel, stride, padding, dilation),
            Tensor.Conv2dBackwardWeight(x.To(Sim), dy.To(Sim), kernel, stride, padding, dilation), Rel, what: "weight gradient");
    }

    [Test]
    public void ConvTranspose2d_WithOutputPadding_MatchesCpu()
    {
        var x = Random([2, 3, 4, 3], 5);
        var w = Random([3, 2, 4, 4], 6);
        var b = Random([2], 7);
        Matches(Tensor.ConvTranspose2d(x, w, b, 2, 1, 1), Tensor.ConvTranspose2d(x.To(Sim), w.To(Sim), b.To(Sim), 2, 1, 1), Rel, what: "conv_transpose2d");
    }

    [Test]
    public void Pooling_ForwardAndBackward_MatchCpu()
    {
        var x = Random([2, 3, 7, 6], 8);
        foreach (var (k, s, p) in new[] { ((Size2)2, (Size2)2, (Size2)0), ((Size2)3, (Size2)2, (Size2)1), ((Size2)(2, 3), (Size2)(1, 2), (Size2)1) })
        {
            var (y, arg) = Tensor.MaxPool2d(x, k, s, p);
            var (gy, garg) = Tensor.MaxPool2d(x.To(Sim), k, s, p);
            Matches(y, gy, 0, what: "max_pool2d");
            Matches(arg, garg, 0, what: "max_pool2d argmax");
            var shape = Tensor.PoolShape("max_pool2d", x, k, s, p);
            var dy = Random(y.ShapeArray, 9);
            Matches(Tensor.MaxPool2dBackward(dy, arg, shape), Tensor.MaxPool2dBackward(dy.To(Sim), garg, shape), Rel, what: "max_pool2d backward");
            Matches(Tensor.AvgPool2d(x, k, s, p), Tensor.AvgPool2d(x.To(Sim), k, s, p), Rel, what: "avg_pool2d");
            Matches(Tensor.AvgPool2dBackward(dy, shape), Tensor.AvgPool2dBackward(dy.To(Sim), shape), Rel, what: "avg_pool2d backward");
        }
    }

    [TestCase(new[] { 4, 3 })]
    [TestCase(new[] { 2, 3, 5, 4 })]
    public void BatchNorm_StatisticsApplyBackward_MatchCpu(int[] shape)
    {
        var x = Random(shape, 10, -2, 3);
        var dy = Random(shape, 11);
        var gamma = Random([shape[1]], 12, 0.5, 1.5);
        var beta = Random([shape[1]], 13);
        var (mean, variance) = Tensor.BatchNormStatistics(x);
        var (gMean, gVariance) = Tensor.BatchNormStatistics(x.To(Sim));
        Matches(mean, gMean, Rel, what: "mean");
        Matches(variance, gVariance, Rel, what: "variance");
        var invStd = (variance + 1e-5).Sqrt().Reciprocal();
        Matches(Tensor.BatchNormApply(x, mean, invStd, gamma, beta), Tensor.BatchNormApply(x.To(Sim), mean.To(Sim), invStd.To(Sim), gamma.To(Sim), beta.To(Sim)), Rel, what: "apply");
        Matches(Tensor.BatchNormApply(x, mean, invStd, null, null), Tensor.BatchNormApply(x.To(Sim), mean.To(Sim), invStd.To(Sim), null, null), Rel, what: "apply, not affine");
        foreach (bool training in new[] { true, false })
        {
            var (dx, dg, db) = Tensor.BatchNormBackward(x, dy, mean, invStd, gamma, training, needGammaBeta: true);
            var (gdx, gdg, gdb) = Tensor.BatchNormBackward(x.To(Sim), dy.To(Sim), mean.To(Sim), invStd.To(Sim), gamma.To(Sim), training, needGammaBeta: true);
            Matches(dx, gdx, Rel, what: $"dx (training {training})");
            Matches(dg!, gdg!, Rel, what: "dgamma");
            Matches(db!, gdb!, Rel, what: "dbeta");
            var (onlyDx, _, _) = Tensor.BatchNormBackward(x.To(Sim), dy.To(Sim), mean.To(Sim), invStd.To(Sim), null, training, needGammaBeta: false);
            Matches(Tensor.BatchNormBackward(x, dy, mean, invStd, null, training, false).Dx, onlyDx, Rel, what: "dx without affine");
        }
    }
}
