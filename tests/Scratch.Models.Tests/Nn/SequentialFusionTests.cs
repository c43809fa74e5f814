using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Tests.Nn;

// Sequential runs a Linear followed by ReLU, sigmoid or tanh as one fused op: the output and the
// parameter gradients are the bits of running the layers one by one.
public class SequentialFusionTests
{
    [TestCase(Activation.Relu)]
    [TestCase(Activation.Sigmoid)]
    [TestCase(Activation.Tanh)]
    public void Mlp_Forward_EqualsLayerByLayer(Activation activation)
    {
        var net = Sequential.Mlp([13, 9, 7, 5], activation, new Rng(4));
        var x = new Variable(Tensor.Uniform([6, 13], -1, 1, new Rng(5)));
        var up = Tensor.Uniform([6, 5], -1, 1, new Rng(6));

        var fused = net.Forward(x);
        (fused * new Variable(up)).Sum().Backward();
        var fusedGrads = net.Parameters().Select(p => p.Grad!.ToArray<float>()).ToArray();
        net.ZeroGrad();

        var h = x;
        foreach (var layer in net.Layers) h = layer.Forward(h);
        (h * new Variable(up)).Sum().Backward();

        Assert.That(fused.Data.ToArray<float>(), Is.EqualTo(h.Data.ToArray<float>()).AsCollection);
        var grads = net.Parameters().Select(p => p.Grad!.ToArray<float>()).ToArray();
        for (int i = 0; i < grads.Length; i++) Assert.That(fusedGrads[i], Is.EqualTo(grads[i]).AsCollection, $"parameter {i}");
    }
}
