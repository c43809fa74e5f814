using Scratch.Autograd;

namespace Scratch.AutogradTests;

// The float64 gradient check for every op of the convolution family (issue 10): stride > 1,
// padding, dilation, odd sizes, batch 1, non-square kernels, a transposed convolution with a
// non-zero output_padding; with and without bias; batch norm in training and eval mode.
public class ConvGradientTests
{
    // (x shape, weight shape, stride, padding, dilation)
    private static readonly object[] ConvCases =
    [
        new object[] { new[] { 1, 1, 5, 5 }, new[] { 2, 1, 3, 3 }, (1, 1), (0, 0), (1, 1) },       // batch 1
        new object[] { new[] { 2, 3, 7, 6 }, new[] { 4, 3, 3, 2 }, (2, 1), (1, 0), (1, 1) },       // odd sizes, stride 2
        new object[] { new[] { 2, 2, 9, 8 }, new[] { 3, 2, 3, 3 }, (2, 3), (2, 1), (2, 1) },       // dilation
        new object[] { new[] { 1, 2, 6, 6 }, new[] { 2, 2, 4, 4 }, (2, 2), (1, 1), (1, 1) },       // the conv VAE's kernel
    ];

    [TestCaseSource(nameof(ConvCases))]
    public void Conv2d(int[] xShape, int[] wShape, (int, int) stride, (int, int) padding, (int, int) dilation)
    {
        var x = Inputs.Normal(1, xShape);
        var w = Inputs.Normal(2, wShape);
        var b = Inputs.Normal(3, wShape[0]);
        Inputs.Check("conv2d", v => Variable.Conv2d(v[0], v[1], v[2], stride, padding, dilation), x, w, b);
        Inputs.Check("conv2d no bias", v => Variable.Conv2d(v[0], v[1], null, stride, padding, dilation), x, w);
    }

    // (x shape (N, Cin, H, W), weight shape (Cin, Cout, KH, KW), stride, padding, output_padding, dilation)
    private static readonly object[] TransposedCases =
    [
        new object[] { new[] { 1, 2, 3, 3 }, new[] { 2, 3, 3, 3 }, (1, 1), (0, 0), (0, 0), (1, 1) },
        new object[] { new[] { 2, 3, 4, 3 }, new[] { 3, 2, 4, 4 }, (2, 2), (1, 1), (1, 1), (1, 1) },   // output_padding 1
        new object[] { new[] { 1, 2, 3, 4 }, new[] { 2, 2, 3, 2 }, (3, 2), (1, 0), (2, 1), (1, 1) },   // output_padding (2, 1)
        new object[] { new[] { 2, 1, 3, 3 }, new[] { 1, 2, 3, 3 }, (2, 2), (1, 1), (1, 0), (2, 2) },   // dilation 2
    ];

    [TestCaseSource(nameof(TransposedCases))]
    public void ConvTranspose2d(int[] xShape, int[] wShape, (int, int) stride, (int, int) padding, (int, int) outputPadding, (int, int) dilation)
    {
        var x = Inputs.Normal(4, xShape);
        var w = Inputs.Normal(5, wShape);
        var b = Inputs.Normal(6, wShape[1]);
        Inputs.Check("conv_transpose2d", v => Variable.ConvTranspose2d(v[0], v[1], v[2], stride, padding, outputPadding, dilation), x, w, b);
        Inputs.Check("conv_transpose2d no bias", v => Variable.ConvTranspose2d(v[0], v[1], null, stride, padding, outputPadding, dilation), x, w);
    }

    [Test]
    public void ConvTranspose2d_IsTheAdjointOfConv2d()
    {
        // ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩ with the same weight.
        var x = Inputs.Normal(7, 2, 3, 9, 8);
        var w = Inputs.Normal(8, 4, 3, 3, 3);
        var conv = Tensor.Conv2d(x, w, null, (2, 3), (1, 2), (2, 1));
        var y = Inputs.Normal(9, conv.ShapeArray);
        // Heights 9 → 4 → (4−1)·2 − 2 + 2·2 + 1 = 9; widths 8 → 4 → (4−1)·3 − 4 + 2 + 1 = 8: no output_padding needed.
        var back = Tensor.ConvTranspose2d(y, w, null, (2, 3), (1, 2), 0, (2, 1));
        Assert.That(back.ShapeArray, Is.EqualTo(x.ShapeArray));
        double lhs = (conv * y).Sum().Item(), rhs = (x * back).Sum().Item();
        Assert.That(rhs, Is.EqualTo(lhs).Within(1e-12 * Math.Abs(lhs)));
    }

    private static readonly object[] PoolCases =
    [
        new object[] { new[] { 1, 1, 5, 5 }, (2, 2), (2, 2), (0, 0) },
        new object[] { new[] { 2, 3, 7, 6 }, (3, 3), (2, 2), (1, 1) },
        new object[] { new[] { 1, 2, 6, 5 }, (2, 3), (1, 2), (1, 1) },
    ];

    [TestCaseSource(nameof(PoolCases))]
    public void Pooling(int[] xShape, (int, int) kernel, (int, int) stride, (int, int) padding)
    {
        var x = Inputs.Normal(10, xShape);   // distinct values: no ties, where max has no derivative
        Inputs.Check("max_pool2d", v => v[0].MaxPool2d(kernel, stride, padding), x);
        Inputs.Check("avg_pool2d", v => v[0].AvgPool2d(kernel, stride, padding), x);
    }

    [TestCase(new[] { 4, 3 })]
    [TestCase(new[] { 2, 3, 3, 2 })]
    [TestCase(new[] { 1, 2, 3, 3 })]   // batch 1: the statistics run over the pixels
    public void BatchNorm_Training(int[] xShape)
    {
        var x = Inputs.Normal(11, xShape);
        var gamma = Inputs.Uniform(12, 0.5, 1.5, xShape[1]);
        var beta = Inputs.Normal(13, xShape[1]);
        Inputs.Check("batch_norm train", v => Variable.BatchNorm(v[0], null, null, v[1], v[2], training: true), x, gamma, beta);
        Inputs.Check("batch_norm train no affine", v => Variable.BatchNorm(v[0], null, null, null, null, training: true) * Inputs.Normal(14, xShape), x);
    }

    [TestCase(new[] { 4, 3 })]
    [TestCase(new[] { 2, 3, 3, 2 })]
    public void BatchNorm_Eval(int[] xShape)
    {
        var x = Inputs.Normal(15, xShape);
        var mean = Inputs.Normal(16, xShape[1]);
        var variance = Inputs.Uniform(17, 0.5, 2.0, xShape[1]);
        var gamma = Inputs.Uniform(18, 0.5, 1.5, xShape[1]);
        var beta = Inputs.Normal(19, xShape[1]);
        Inputs.Check("batch_norm eval", v => Variable.BatchNorm(v[0], mean, variance, v[1], v[2], training: false), x, gamma, beta);
    }

    [Test]
    public void BatchNorm_UpdatesRunningStatisticsAsPyTorch()
    {
        // running = 0.9·running + 0.1·batch; the variance unbiased over M = N·H·W = 2·2·2 = 8 values.
        var x = Inputs.Normal(20, 2, 3, 2, 2);
        var rm = Tensor.Zeros([3], DType.Float64);
        var rv = Tensor.Ones([3], DType.Float64);
        Variable.BatchNorm(x, rm, rv, null, null, training: true, momentum: 0.1);
        var values = x.ToArray<double>();
        for (int c = 0; c < 3; c++)
        {
            var channel = Enumerable.Range(0, 2).SelectMany(n => Enumerable.Range(0, 4).Select(k => values[(n * 3 + c) * 4 + k])).ToArray();
            double mu = channel.Average(), unbiased = channel.Sum(v => (v - mu) * (v - mu)) / 7;
            Assert.That(rm.ToArray<double>()[c], Is.EqualTo(0.1 * mu).Within(1e-14));
            Assert.That(rv.ToArray<double>()[c], Is.EqualTo(0.9 + 0.1 * unbiased).Within(1e-14));
        }
    }

    [Test]
    public void BatchNorm_OneValuePerChannel_IsRefusedInTraining()
    {
        var ex = Assert.Throws<ArgumentException>(() => Variable.BatchNorm(Tensor.Zeros([1, 3], DType.Float64), null, null, null, null, training: true));
        Assert.That(ex!.Message, Does.Contain("batch_norm").And.Contain("(1, 3)"));
    }

    [Test]
    public void LeakyRelu_Dropout_FlattenUnflatten()
    {
        var x = Inputs.AwayFromZero(21, 0.05, 2, 3, 4);
        Inputs.Check("leaky_relu", v => v[0].LeakyRelu(0.2), x);
        Inputs.Check("leaky_relu default", v => v[0].LeakyRelu(), x);
        // The same mask on every evaluation: a fresh generator with a fixed seed each time.
        Inputs.Check("dropout", v => v[0].Dropout(0.4, training: true, new Rng(22)), x);
        Inputs.Check("flatten", v => v[0].Flatten() * Inputs.Normal(23, 2, 12), x);
        Inputs.Check("flatten 0..1", v => v[0].Flatten(0, 1) * Inputs.Normal(24, 6, 4), x);
        Inputs.Check("unflatten", v => v[0].Unflatten(2, 2, 2) * Inputs.Normal(25, 2, 3, 2, 2), x);
    }

    [Test]
    public void Dropout_IsInverted_AndOffInEval()
    {
        var x = Tensor.Ones([100, 100], DType.Float64);
        var y = new Variable(x).Dropout(0.25, training: true, new Rng(1)).Data.ToArray<double>();
        Assert.That(y.All(v => v == 0 || Math.Abs(v - 1 / 0.75) < 1e-15), Is.True);
        double keptFraction = y.Count(v => v != 0) / 10000.0;
        Assert.That(keptFraction, Is.EqualTo(0.75).Within(0.02));
        var same = new Variable(x);
        Assert.That(same.Dropout(0.25, training: false, new Rng(1)), Is.SameAs(same));
    }

    [Test]
    public void ConvBlock_EndToEnd()
    {
        // conv → batch norm → leaky ReLU → transposed conv, the conv VAE's building block.
        var x = Inputs.Normal(26, 2, 1, 6, 6);
        var w1 = Inputs.Normal(27, 3, 1, 4, 4);
        var g = Inputs.Uniform(28, 0.5, 1.5, 3);
        var w2 = Inputs.Normal(29, 3, 1, 4, 4);
        Inputs.Check("conv block", v =>
            Variable.ConvTranspose2d(
                Variable.BatchNorm(Variable.Conv2d(v[0], v[1], null, 2, 1), null, null, v[2], null, training: true).LeakyRelu(0.2),
                v[3], null, 2, 1).Sigmoid(), x, w1, g, w2);
    }
}
