using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Tests.Nn;

// Sequential runs Linear → ReLU (and Linear → LeakyReLU) as one fused op; the values and every
// parameter's gradient must be bitwise those of running the layers one by one.
public class SequentialFusionTests
{
    [Test]
    public void Mlp_FusedForwardAndBackward_BitwiseEqualToLayerByLayer()
    {
        var net = Sequential.Mlp([30, 24, 17, 5], Activation.Relu, new Rng(3));
        var x = Tensor.Randn([11, 30], new Rng(4), DType.Float32);
        var (fusedY, fusedGrads) = Run(net, x, v => net.Forward(v));
        var (plainY, plainGrads) = Run(net, x, v =>
        {
            foreach (var layer in net.Layers) v = layer.Forward(v);
            return v;
        });
        Assert.That(fusedY, Is.EqualTo(plainY).AsCollection);
        for (int i = 0; i < fusedGrads.Count; i++)
            Assert.That(fusedGrads[i], Is.EqualTo(plainGrads[i]).AsCollection, $"gradient of parameter {i}");
    }

    [Test]
    public void LinearThenLeakyRelu_Fused_BitwiseEqualToLayerByLayer()
    {
        var rng = new Rng(6);
        var net = new Sequential(new Linear(8, 12, rng), new LeakyReLU(0.2), new Linear(12, 3, rng), new ReLU());
        var x = Tensor.Randn([7, 8], new Rng(7), DType.Float32);
        var (fusedY, fusedGrads) = Run(net, x, v => net.Forward(v));
        var (plainY, plainGrads) = Run(net, x, v =>
        {
            foreach (var layer in net.Layers) v = layer.Forward(v);
            return v;
        });
        Assert.That(fusedY, Is.EqualTo(plainY).AsCollection);
        for (int i = 0; i < fusedGrads.Count; i++)
            Assert.That(fusedGrads[i], Is.EqualTo(plainGrads[i]).AsCollection, $"gradient of parameter {i}");
        Assert.That(fusedY.Any(v => v > 0), Is.True, "the test should see some positive outputs");
    }

    // Forward, a weighted sum as the loss, backward; returns the output and every parameter's gradient.
    private static (float[] Y, List<float[]> Grads) Run(Sequential net, Tensor x, Func<Variable, Variable> forward)
    {
        foreach (var p in net.Parameters()) p.Grad = null;
        var y = forward(new Variable(x));
        var weights = Tensor.Randn(y.ShapeArray, new Rng(9), DType.Float32);
        (y * new Variable(weights)).Sum().Backward();
        return (y.Data.ToArray<float>(), net.Parameters().Select(p => p.Grad!.ToArray<float>()).ToList());
    }
}
