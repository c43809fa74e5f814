using Scratch.Autograd;
using Scratch.Kernels;

namespace Scratch.AutogradTests;

// The fused dense layer, act(x·Wᵀ + b) with the activation in the GEMM's epilogue and the bias
// gradient summed while the weight gradient's GEMM packs dy: its float64 gradients pass the
// gradient check, and in float32 its value and gradients are bitwise those of Linear followed by
// the separate activation op (the composition it replaces).
public class FusedLinearTests
{
    [TestCase(4, 6, 5)]
    [TestCase(1, 3, 1)]
    [TestCase(9, 17, 33)]   // Out = 33 > In: the dW GEMM and the narrow-N path swap which operand dy is
    public void GradCheck_Relu_LeakyRelu_Identity(int batch, int inputs, int outputs)
    {
        var x = Inputs.Normal(31, batch, inputs);
        var w = Inputs.Normal(32, outputs, inputs);
        var b = Inputs.Normal(33, outputs);
        Inputs.Check("linear relu", v => Variable.Linear(v[0], v[1], v[2], GemmActivation.Relu), x, w, b);
        Inputs.Check("linear leaky relu", v => Variable.Linear(v[0], v[1], v[2], GemmActivation.LeakyRelu, 0.2), x, w, b);
        Inputs.Check("linear relu no bias", v => Variable.Linear(v[0], v[1], null, GemmActivation.Relu), x, w);
        Inputs.Check("linear identity", v => Variable.Linear(v[0], v[1], v[2], GemmActivation.Identity), x, w, b);
    }

    // VAE-sized layers, the narrow heads (Out = 20, 40) and the K = 20 layer included.
    [TestCase(128, 784, 400, GemmActivation.Relu)]
    [TestCase(128, 400, 20, GemmActivation.Identity)]
    [TestCase(128, 20, 400, GemmActivation.Relu)]
    [TestCase(37, 45, 40, GemmActivation.LeakyRelu)]
    public void Float32_BitwiseEqualToLinearThenActivation(int batch, int inputs, int outputs, GemmActivation activation)
    {
        var rng = new Rng(5);
        Tensor X() => Tensor.Randn([batch, inputs], rng, DType.Float32);
        var xData = X();
        var wData = Tensor.Randn([outputs, inputs], rng, DType.Float32) * 0.1;
        var bData = Tensor.Randn([outputs], rng, DType.Float32);
        var upstream = Tensor.Randn([batch, outputs], rng, DType.Float32);

        (Tensor Y, Tensor Dx, Tensor Dw, Tensor Db) Run(bool fused)
        {
            var x = new Variable(xData, requiresGrad: true);
            var w = new Variable(wData, requiresGrad: true);
            var b = new Variable(bData, requiresGrad: true);
            var y = fused ? Variable.Linear(x, w, b, activation, 0.1)
                : activation switch
                {
                    GemmActivation.Relu => Variable.Linear(x, w, b).Relu(),
                    GemmActivation.LeakyRelu => Variable.Linear(x, w, b).LeakyRelu(0.1),
                    _ => Variable.Linear(x, w, b),
                };
            (y * new Variable(upstream)).Sum().Backward();
            return (y.Data, x.Grad!, w.Grad!, b.Grad!);
        }

        var one = Run(fused: true);
        var two = Run(fused: false);
        Assert.That(one.Y.ToArray<float>(), Is.EqualTo(two.Y.ToArray<float>()).AsCollection, "y");
        Assert.That(one.Dx.ToArray<float>(), Is.EqualTo(two.Dx.ToArray<float>()).AsCollection, "dx");
        Assert.That(one.Dw.ToArray<float>(), Is.EqualTo(two.Dw.ToArray<float>()).AsCollection, "dW");
        Assert.That(one.Db.ToArray<float>(), Is.EqualTo(two.Db.ToArray<float>()).AsCollection, "db");
    }

    [Test]
    public void BiasWithoutWeightGradient_StillGetsItsGradient()
    {
        var x = new Variable(Inputs.Normal(40, 3, 4), requiresGrad: true);
        var w = new Variable(Inputs.Normal(41, 2, 4));   // frozen
        var b = new Variable(Inputs.Normal(42, 2), requiresGrad: true);
        Variable.Linear(x, w, b, GemmActivation.Relu).Sum().Backward();
        var y = Tensor.Linear(x.Data, w.Data, b.Data, GemmActivation.Relu).ToArray<double>();
        var expected = new double[2];
        for (int i = 0; i < 3; i++)
            for (int o = 0; o < 2; o++) expected[o] += y[i * 2 + o] > 0 ? 1 : 0;
        Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(expected).AsCollection);
        Assert.That(w.Grad, Is.Null);
    }

    [Test]
    public void NegativeLeakySlope_IsRejectedWithItsValue()
    {
        var x = new Variable(Inputs.Normal(43, 2, 3), requiresGrad: true);
        var w = new Variable(Inputs.Normal(44, 2, 3), requiresGrad: true);
        var e = Assert.Throws<ArgumentException>(() => Variable.Linear(x, w, null, GemmActivation.LeakyRelu, -0.5));
        Assert.That(e!.Message, Does.Contain("linear").And.Contain("-0.5"));
    }
}
