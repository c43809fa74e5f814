using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;

namespace Scratch.Models.Tests.Nn;

public class ModuleTests
{
    [Test]
    public void Linear_PyTorchDefaultInit_StaysWithinOneOverSqrtFanIn()
    {
        var layer = new Linear(400, 300, new Rng(1));
        double bound = 1 / Math.Sqrt(400);
        var w = layer.Weight.Data.ToArray<float>();
        var b = layer.Bias!.Data.ToArray<float>();
        Assert.That(w, Is.All.InRange(-bound, bound));
        Assert.That(b, Is.All.InRange(-bound, bound));
        // Uniform on ±bound: variance bound²/3.
        double variance = w.Select(v => (double)v * v).Average();
        Assert.That(variance, Is.EqualTo(bound * bound / 3).Within(0.02 * bound * bound));
        Assert.That(layer.Weight.ShapeArray, Is.EqualTo(new[] { 300, 400 }));
    }

    [Test]
    public void SameSeed_SameWeights_WeightsDrawnBeforeBias()
    {
        var a = new Linear(5, 3, new Rng(4));
        var rng = new Rng(4);
        var expectedWeight = Tensor.Uniform([3, 5], -1 / Math.Sqrt(5), 1 / Math.Sqrt(5), rng);
        Assert.That(a.Weight.Data.ToArray<float>(), Is.EqualTo(expectedWeight.ToArray<float>()));
        var expectedBias = Tensor.Uniform([3], -1 / Math.Sqrt(5), 1 / Math.Sqrt(5), rng);
        Assert.That(a.Bias!.Data.ToArray<float>(), Is.EqualTo(expectedBias.ToArray<float>()));
    }

    [Test]
    public void NamedParameters_FollowTheModuleTree()
    {
        var vae = new VariationalAutoencoder(new AutoencoderConfig { InputSize = 6, HiddenSizes = [5], LatentSize = 2 }, new Rng(1));
        var names = vae.NamedParameters().Select(p => p.Name).ToArray();
        Assert.That(names, Is.EqualTo(new[]
        {
            "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias",
        }));
        Assert.That(vae.ParameterCount(), Is.EqualTo(5 * 6 + 5 + 4 * 5 + 4 + 5 * 2 + 5 + 6 * 5 + 6));
    }

    [Test]
    public void TrainAndEval_ReachEveryChild()
    {
        var net = new Sequential(new Linear(2, 2, new Rng(1)), new ReLU());
        net.Eval();
        Assert.That(net.IsTraining, Is.False);
        Assert.That(net.Layers.All(l => !l.IsTraining), Is.True);
        net.Train();
        Assert.That(net.Layers.All(l => l.IsTraining), Is.True);
    }

    [Test]
    public void Sequential_ForwardAndZeroGrad()
    {
        var net = Sequential.Mlp([3, 4, 2], Activation.Tanh, new Rng(2), DType.Float64);
        var x = new Variable(Tensor.Ones([5, 3], DType.Float64));
        net.Forward(x).Sum().Backward();
        Assert.That(net.Parameters().All(p => p.Grad != null), Is.True);
        net.ZeroGrad();
        Assert.That(net.Parameters().All(p => p.Grad == null), Is.True);
    }

    [Test]
    public void BadSizes_AreClearErrors()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new Linear(0, 3, new Rng(1)))!.Message, Does.Contain("linear"));
        Assert.That(Assert.Throws<ArgumentException>(() => Sequential.Mlp([3], Activation.Relu, new Rng(1)))!.Message, Does.Contain("mlp"));
        var layer = new Linear(3, 2, new Rng(1));
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Variable(Tensor.Zeros([4, 5]))));
        Assert.That(ex!.Message, Does.Contain("linear").And.Contain("(4, 5)").And.Contain("(2, 3)"));
    }
}
