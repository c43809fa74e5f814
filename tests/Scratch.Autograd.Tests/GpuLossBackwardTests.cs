using Scratch.Autograd;

namespace Scratch.AutogradTests;

// Every fused loss's backward on ilgpu-cpu: the same gradients as the CPU, with an upstream
// gradient that is not 1 (each loss is weighted, as β·KL is in a VAE), and not one device-to-host
// copy during Backward() — the upstream gradient is scaled on the device, never read back (Item()).
public class GpuLossBackwardTests
{
    private static readonly Device Sim = Device.IlgpuCpu;

    private static (Tensor Loss, Tensor[] Grads, long HostReads) Run(Device device)
    {
        var init = new Rng(5);
        Variable Leaf(double low, double high, params int[] shape) => new(Tensor.Uniform(shape, low, high, init).To(device), requiresGrad: true);
        var logits = Leaf(-3, 3, 4, 9);
        var mu = Leaf(-1, 1, 4, 3);
        var logVar = Leaf(-1, 1, 4, 3);
        var rhoHat = Leaf(0.05, 0.95, 9);
        var target = Tensor.Uniform([4, 9], 0, 1, init).To(device);

        var loss = Losses.BceWithLogits(logits, target) * 1.5
                   + Losses.BceWithLogits(logits, target, Reduction.Sum) * 0.25
                   + Losses.KlStandardNormal(mu, logVar) * 0.7
                   + Losses.Mse(logits, target) * 3.0
                   + Losses.Mse(mu, mu.Data * 0.5, Reduction.Sum) * 0.5
                   + Losses.BernoulliKl(0.1, rhoHat) * 2.0
                   + Losses.L1(logVar) * 0.3
                   + Losses.L1(logits, Reduction.Mean) * 0.9;
        long before = HostReads(device);
        loss.Backward();
        long reads = HostReads(device) - before;
        return (loss.Data, [logits.Grad!, mu.Grad!, logVar.Grad!, rhoHat.Grad!], reads);
    }

    private static long HostReads(Device device) => Backends.For(device) is GpuBackend gpu ? gpu.HostReads : 0;

    [Test]
    public void LossBackward_OnIlgpuCpu_MatchesCpu_WithoutReadingTheDevice()
    {
        var cpu = Run(Device.Cpu);
        var gpu = Run(Sim);
        Assert.That(gpu.HostReads, Is.EqualTo(0), "device-to-host copies during Backward()");
        Assert.That(gpu.Loss.ToArray<float>()[0], Is.EqualTo(cpu.Loss.ToArray<float>()[0]).Within(1e-5).Percent);
        string[] names = ["logits", "mu", "logVar", "rhoHat"];
        for (int i = 0; i < names.Length; i++)
        {
            float[] expected = cpu.Grads[i].ToArray<float>(), actual = gpu.Grads[i].ToArray<float>();
            double scale = expected.Max(v => Math.Abs(v));
            for (int j = 0; j < expected.Length; j++)
                Assert.That(actual[j], Is.EqualTo(expected[j]).Within(2e-6 * scale), $"d{names[i]}[{j}]");
            Assert.That(gpu.Grads[i].Device, Is.EqualTo(Sim), $"d{names[i]} stayed on the device");
        }
    }

    [Test]
    public void LossBackward_OnCpu_ScalesByTheUpstreamGradient()
    {
        // d(c·loss)/dx = c·d loss/dx for every loss: the upstream gradient is applied, not dropped.
        foreach (double c in new[] { 1.0, -2.5 })
        {
            var x = new Variable(Tensor.FromArray([0.3, -1.2, 2.0, 0.7], 2, 2), requiresGrad: true);
            var t = Tensor.FromArray([0.0, 1.0, 0.5, 1.0], 2, 2);
            (Losses.BceWithLogits(x, t) * c).Backward();
            var bce = x.Grad!.ToArray<double>();
            x.ZeroGrad();
            Losses.BceWithLogits(x, t).Backward();
            var unit = x.Grad!.ToArray<double>();
            for (int i = 0; i < 4; i++) Assert.That(bce[i], Is.EqualTo(c * unit[i]).Within(1e-15), $"c = {c}, element {i}");
        }
    }
}
