using Scratch.Autograd;

namespace Scratch.AutogradTests;

// The convolution family's autograd ops on ilgpu-cpu against the CPU: one small graph that uses
// every op (conv2d, batch_norm in training with its running statistics, leaky_relu, max_pool2d,
// conv_transpose2d with output_padding, avg_pool2d, dropout), the same inputs and the same RNG seed
// (dropout's mask is drawn on the host, so both devices drop the same elements). Loss, every
// gradient and the running statistics must agree to float32 accuracy. Tiny sizes: the simulator is slow.
public class GpuConvGraphTests
{
    private static readonly Device Sim = Device.IlgpuCpu;

    private sealed record Run(Tensor Loss, Tensor[] Grads, Tensor RunningMean, Tensor RunningVar);

    private static Run Forward(Device device, bool training)
    {
        var init = new Rng(7);
        Variable Leaf(params int[] shape) => new(Tensor.Uniform(shape, -1, 1, init).To(device), requiresGrad: true);
        var x = Leaf(2, 3, 9, 8);                      // odd sizes
        var w1 = Leaf(4, 3, 3, 3);
        var b1 = Leaf(4);
        var gamma = Leaf(4);
        var beta = Leaf(4);
        var w2 = Leaf(4, 2, 3, 3);                     // transposed: (Cin, Cout, KH, KW)
        var b2 = Leaf(2);
        var runningMean = Tensor.Zeros([4]).To(device);
        var runningVar = Tensor.Ones([4]).To(device);

        var h = Variable.Conv2d(x, w1, b1, stride: 2, padding: 1, dilation: 1);                  // (2, 4, 5, 4)
        h = Variable.BatchNorm(h, runningMean, runningVar, gamma, beta, training);
        h = h.LeakyRelu(0.2);
        h = h.MaxPool2d(2, stride: 1, padding: 1);                                             // (2, 4, 6, 5)
        h = Variable.ConvTranspose2d(h, w2, b2, stride: 2, padding: 1, outputPadding: 1, dilation: 2); // (2, 2, 14, 12)
        h = h.AvgPool2d(3, stride: 2, padding: 1);
        h = h.Dropout(0.3, training, new Rng(11));
        var loss = h.Square().Sum();
        loss.Backward();
        Tensor[] grads = [x.Grad!, w1.Grad!, b1.Grad!, gamma.Grad!, beta.Grad!, w2.Grad!, b2.Grad!];
        return new Run(loss.Data, grads, runningMean, runningVar);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void EveryConvOp_ForwardAndBackward_OnIlgpuCpu_MatchesCpu(bool training)
    {
        var cpu = Forward(Device.Cpu, training);
        var gpu = Forward(Sim, training);
        Close(cpu.Loss, gpu.Loss, "loss");
        string[] names = ["x", "w1", "b1", "gamma", "beta", "w2", "b2"];
        // In training the conv bias b1 feeds batch norm, which subtracts the batch mean: its true gradient
        // is 0 and both devices return rounding noise. So gradients are judged against the largest one.
        double gradScale = cpu.Grads.Max(g => g.ToArray<float>().Max(v => Math.Abs(v)));
        for (int i = 0; i < names.Length; i++) Close(cpu.Grads[i], gpu.Grads[i], $"d{names[i]}", gradScale);
        Close(cpu.RunningMean, gpu.RunningMean, "running mean");
        Close(cpu.RunningVar, gpu.RunningVar, "running variance");
        Assert.That(gpu.Grads[0].Device, Is.EqualTo(Sim), "the gradients stayed on the device");
    }

    // Relative to the tensor's largest magnitude: a gradient element that cancels to near zero is
    // judged against the scale of its neighbours (float32 sums in a different order on each device).
    private static void Close(Tensor cpu, Tensor gpu, string what, double floor = 1e-6)
    {
        var expected = cpu.ToArray<float>();
        var actual = gpu.ToArray<float>();
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        double scale = Math.Max(expected.Max(v => Math.Abs(v)), floor);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-4 * scale), $"{what}[{i}]");
    }
}
