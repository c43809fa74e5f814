using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Tests.Nn;

// The convolution-family modules: PyTorch's names, shapes, defaults, initialisation bounds,
// buffers, and Train()/Eval() reaching every layer that cares.
public class ConvModuleTests
{
    [Test]
    public void Conv2d_PyTorchInit_FanInFromInputChannels()
    {
        var conv = new Conv2d(32, 64, 4, new Rng(1), stride: 2, padding: 1);
        double bound = 1 / Math.Sqrt(32 * 4 * 4);
        Assert.That(conv.Weight.ShapeArray, Is.EqualTo(new[] { 64, 32, 4, 4 }));
        var w = conv.Weight.Data.ToArray<float>();
        Assert.That(w, Is.All.InRange(-bound, bound));
        Assert.That(w.Select(v => (double)v * v).Average(), Is.EqualTo(bound * bound / 3).Within(0.03 * bound * bound));
        Assert.That(conv.Bias!.Data.ToArray<float>(), Is.All.InRange(-bound, bound));
        Assert.That(conv.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "weight", "bias" }));
        Assert.That(conv.Forward(Tensor.Zeros([2, 32, 14, 14])).ShapeArray, Is.EqualTo(new[] { 2, 64, 7, 7 }));
    }

    [Test]
    public void ConvTranspose2d_PyTorchInit_FanInFromWeightDim1()
    {
        // PyTorch computes fan_in from weight.size(1), which for a transposed conv is out_channels.
        var deconv = new ConvTranspose2d(64, 32, 4, new Rng(2), stride: 2, padding: 1);
        double bound = 1 / Math.Sqrt(32 * 4 * 4);
        Assert.That(deconv.Weight.ShapeArray, Is.EqualTo(new[] { 64, 32, 4, 4 }));
        var w = deconv.Weight.Data.ToArray<float>();
        Assert.That(w, Is.All.InRange(-bound, bound));
        Assert.That(w.Max(), Is.GreaterThan(0.9 * bound));   // not the smaller 1/√(64·16)
        Assert.That(deconv.Forward(Tensor.Zeros([2, 64, 7, 7])).ShapeArray, Is.EqualTo(new[] { 2, 32, 14, 14 }));
        var withOutputPadding = new ConvTranspose2d(3, 2, 3, new Rng(3), stride: 2, padding: 1, outputPadding: 1);
        Assert.That(withOutputPadding.Forward(Tensor.Zeros([1, 3, 5, 5])).ShapeArray, Is.EqualTo(new[] { 1, 2, 10, 10 }));
    }

    [Test]
    public void BatchNorm_BuffersNamedAsPyTorch_AndEvalUsesRunningStatistics()
    {
        var net = new Sequential(new Conv2d(1, 2, 3, new Rng(4), padding: 1), new BatchNorm2d(2), new LeakyReLU(0.2));
        Assert.That(net.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }));
        Assert.That(net.NamedBuffers().Select(b => b.Name), Is.EqualTo(new[] { "1.running_mean", "1.running_var", "1.num_batches_tracked" }));
        var bn = (BatchNorm2d)net.Layers[1];
        var x = Tensor.Randn([4, 1, 5, 5], new Rng(5)) * 3.0 + 2.0;
        net.Forward(x);
        net.Forward(x);
        Assert.That(bn.NumBatchesTracked!.Item(), Is.EqualTo(2));
        var runningMean = bn.RunningMean!.ToArray<float>();
        Assert.That(runningMean.Any(v => v != 0), Is.True);

        net.Eval();
        Assert.That(bn.IsTraining, Is.False);
        var h = net.Layers[0].Forward(x);
        var y = bn.Forward(h).Data;
        // Eval: (h − running_mean)/√(running_var + eps), γ = 1, β = 0.
        var expected = Variable.BatchNorm(h, bn.RunningMean!.Clone(), bn.RunningVar!.Clone(), null, null, training: false).Data;
        Assert.That(y.ToArray<float>(), Is.EqualTo(expected.ToArray<float>()));
        Assert.That(bn.NumBatchesTracked!.Item(), Is.EqualTo(2), "eval does not count batches");
        Assert.That(bn.RunningMean!.ToArray<float>(), Is.EqualTo(runningMean), "eval does not update the running mean");
    }

    [Test]
    public void BatchNorm_MomentumNone_IsACumulativeAverage()
    {
        var bn = new BatchNorm1d(3, momentum: null, dtype: DType.Float64);
        var a = Tensor.Randn([5, 3], new Rng(6), DType.Float64);
        var b = Tensor.Randn([5, 3], new Rng(7), DType.Float64) + 1.0;
        bn.Forward(a);
        bn.Forward(b);
        var expected = (Tensor.BatchNormStatistics(a).Mean + Tensor.BatchNormStatistics(b).Mean) / 2.0;
        Assert.That(bn.RunningMean!.ToArray<double>(), Is.EqualTo(expected.ToArray<double>()).Within(1e-14));
    }

    [Test]
    public void BatchNorm_WrongShape_NamesTheLayer()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros([2, 4, 5, 5])));
        Assert.That(ex!.Message, Does.StartWith("BatchNorm2d(3)").And.Contain("(2, 4, 5, 5)"));
    }

    [Test]
    public void Dropout_OnlyInTraining_PoolingFlattenUnflatten()
    {
        var net = new Sequential(new Unflatten(1, 1, 4, 4), new MaxPool2d(2), new Flatten(), new Dropout(new Rng(8), 0.5));
        var x = Tensor.Arange(16).Reshape(1, 16) + 1.0;
        var trained = net.Forward(x).Data.ToArray<float>();
        Assert.That(trained.All(v => v == 0 || v is 12 or 16 or 28 or 32), Is.True);   // kept maxima ×2
        net.Eval();
        Assert.That(net.Forward(x).Data.ToArray<float>(), Is.EqualTo(new float[] { 6, 8, 14, 16 }));
        Assert.That(new AvgPool2d(2).Forward(Tensor.Arange(16).Reshape(1, 1, 4, 4)).Data.ToArray<float>(), Is.EqualTo(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }));
    }
}
