using Scratch.Autograd;
using Scratch.Kernels;

namespace Scratch.AutogradTests;

// The dense layer fused with its activation, y = f(x·Wᵀ + b): float64 gradient check, the same bits
// as Linear followed by the activation op on the CPU (values and every gradient), and the GPU's
// fused bias+activation kernel on ilgpu-cpu against the CPU.
public class FusedLinearTests
{
    private static readonly UnaryOp[] Activations = [UnaryOp.Relu, UnaryOp.Sigmoid, UnaryOp.Tanh];

    [TestCaseSource(nameof(Activations))]
    public void GradientCheck(UnaryOp activation)
    {
        var x = Inputs.Normal(31, 4, 6);
        var w = Inputs.Normal(32, 5, 6);
        var b = Inputs.Normal(33, 5);
        Inputs.Check($"linear {activation}", v => Variable.Linear(v[0], v[1], v[2], activation), x, w, b);
    }

    private static (float[] Y, float[][] Grads) Run(Device device, UnaryOp activation, bool fused)
    {
        var init = new Rng(3);
        Variable Leaf(params int[] shape) => new(Tensor.Uniform(shape, -1, 1, init).To(device), requiresGrad: true);
        var x = Leaf(7, 13);
        var w = Leaf(11, 13);
        var b = Leaf(11);
        var up = Tensor.Uniform([7, 11], -1, 1, init).To(device);   // a non-uniform upstream gradient
        Variable y;
        if (fused) y = Variable.Linear(x, w, b, activation);
        else
        {
            var a = Variable.Linear(x, w, b);
            y = activation switch { UnaryOp.Relu => a.Relu(), UnaryOp.Sigmoid => a.Sigmoid(), _ => a.Tanh() };
        }
        (y * new Variable(up)).Sum().Backward();
        return (y.Data.ToArray<float>(), [x.Grad!.ToArray<float>(), w.Grad!.ToArray<float>(), b.Grad!.ToArray<float>()]);
    }

    [TestCaseSource(nameof(Activations))]
    public void OnCpu_EqualsLinearThenActivation_Bitwise(UnaryOp activation)
    {
        var fused = Run(Device.Cpu, activation, fused: true);
        var composed = Run(Device.Cpu, activation, fused: false);
        Assert.That(fused.Y, Is.EqualTo(composed.Y).AsCollection, "y");
        for (int i = 0; i < 3; i++) Assert.That(fused.Grads[i], Is.EqualTo(composed.Grads[i]).AsCollection, $"gradient {i}");
    }

    [TestCaseSource(nameof(Activations))]
    public void OnIlgpuCpu_MatchesCpu(UnaryOp activation)
    {
        var cpu = Run(Device.Cpu, activation, fused: true);
        var gpu = Run(Device.IlgpuCpu, activation, fused: true);
        Close(cpu.Y, gpu.Y, "y");
        string[] names = ["dx", "dw", "db"];
        for (int i = 0; i < 3; i++) Close(cpu.Grads[i], gpu.Grads[i], names[i]);
    }

    [Test]
    public void AnActivationThatIsNotADenseLayers_IsRefusedByName()
    {
        var x = new Variable(Tensor.Zeros([2, 3]));
        var w = new Variable(Tensor.Zeros([4, 3]));
        var b = new Variable(Tensor.Zeros([4]));
        var e = Assert.Throws<ArgumentException>(() => Variable.Linear(x, w, b, UnaryOp.Exp));
        Assert.That(e!.Message, Does.Contain("Exp").And.Contain("add bias activation"));
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        double scale = Math.Max(expected.Max(v => Math.Abs(v)), 1e-6);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 * scale), $"{what}[{i}]");
    }
}
