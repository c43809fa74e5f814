using Scratch.Autograd;
using Scratch.Kernels;

namespace Scratch.AutogradTests;

// The fused dense layer on a GPU device: there the GEMM has no epilogue, so Tensor.Linear runs the
// GEMM and then bias + ReLU as one kernel (GpuDevice.BiasActivation) or bias and activation as
// separate passes. On ilgpu-cpu its value and every gradient must match the CPU's fused layer.
public class FusedLinearDeviceTests
{
    private static readonly GemmActivation[] Activations = [GemmActivation.Identity, GemmActivation.Relu, GemmActivation.LeakyRelu];

    private static (float[] Y, float[][] Grads) Run(Device device, GemmActivation activation)
    {
        var init = new Rng(3);
        Variable Leaf(params int[] shape) => new(Tensor.Uniform(shape, -1, 1, init).To(device), requiresGrad: true);
        var x = Leaf(7, 13);
        var w = Leaf(11, 13);
        var b = Leaf(11);
        var up = Tensor.Uniform([7, 11], -1, 1, init).To(device);   // a non-uniform upstream gradient
        var y = Variable.Linear(x, w, b, activation, 0.2);
        (y * new Variable(up)).Sum().Backward();
        return (y.Data.ToArray<float>(), [x.Grad!.ToArray<float>(), w.Grad!.ToArray<float>(), b.Grad!.ToArray<float>()]);
    }

    [TestCaseSource(nameof(Activations))]
    public void OnIlgpuCpu_MatchesCpu(GemmActivation activation)
    {
        var cpu = Run(Device.Cpu, activation);
        var gpu = Run(Device.IlgpuCpu, activation);
        Close(cpu.Y, gpu.Y, "y");
        string[] names = ["dx", "dw", "db"];
        for (int i = 0; i < 3; i++) Close(cpu.Grads[i], gpu.Grads[i], names[i]);
    }

    // The in-place bias + activation itself (relu, sigmoid, tanh): one kernel on the GPU, the CPU's
    // AddBiasRelu or two passes on the CPU; both against bias-add-then-activation.
    [TestCase(UnaryOp.Relu)]
    [TestCase(UnaryOp.Sigmoid)]
    [TestCase(UnaryOp.Tanh)]
    public void AddRowVectorActivation_OnBothDevices_MatchesTheComposition(UnaryOp activation)
    {
        var rng = new Rng(9);
        var y0 = Tensor.Uniform([5, 19], -2, 2, rng);
        var bias = Tensor.Uniform([19], -1, 1, rng);
        var sum = y0 + bias;
        var composed = (activation switch { UnaryOp.Relu => sum.Relu(), UnaryOp.Sigmoid => sum.Sigmoid(), _ => sum.Tanh() }).ToArray<float>();
        foreach (var device in new[] { Device.Cpu, Device.IlgpuCpu })
        {
            var y = y0.To(device).Contiguous().Clone();
            y.AddRowVectorActivationInPlace(bias.To(device), activation);
            Close(composed, y.ToArray<float>(), $"{activation} on {device}");
        }
    }

    [Test]
    public void AnActivationThatIsNotADenseLayers_IsRefusedByName()
    {
        var y = Tensor.Zeros([2, 3]);
        var e = Assert.Throws<ArgumentException>(() => y.AddRowVectorActivationInPlace(Tensor.Zeros([3]), UnaryOp.Exp));
        Assert.That(e!.Message, Does.Contain("Exp").And.Contain("add bias activation"));
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        double scale = Math.Max(expected.Max(v => Math.Abs(v)), 1e-6);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 * scale), $"{what}[{i}]");
    }
}
