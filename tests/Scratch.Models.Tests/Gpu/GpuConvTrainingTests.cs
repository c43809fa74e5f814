using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Gpu;

// The convolutional VAE (ConvNetworks: conv, batch norm, leaky ReLU, transposed conv) trained on
// ilgpu-cpu against the same run on the CPU: same seed, weights made on the CPU then moved, ε and
// the batch order drawn on the host. One step of 2 images, then eval on 2: the simulator is slow (each
// GEMM group is 256 simulated threads meeting at a barrier every k-step; this test takes tens of
// seconds of CPU), and one step already covers every conv kernel forward and backward, the optimizer
// update, batch norm's running statistics and eval mode, which uses them. SGD, not Adam: the conv biases that feed a batch norm have a true gradient of 0,
// and Adam's g/√v turns the devices' different rounding noise (±1e-7) into full ±lr steps in random
// directions, which eval mode (running statistics) then sees. SGD moves them by lr·noise.
public class GpuConvTrainingTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    private static (Autoencoder Model, IReadOnlyList<EpochResult> Results) Train(Device device)
    {
        var config = new AutoencoderConfig { Architecture = Architecture.Conv, LatentSize = 4 };
        var model = ModelFactory.Create(new ModelSpec { Kind = "vae", Config = config }, new Rng(5));
        model.To(device);
        var options = new TrainOptions { Epochs = 1, BatchSize = 2, Seed = 5, TrainLimit = 2, TestLimit = 2, Device = device };
        var results = new Trainer(model, new Sgd(model.Parameters().ToList(), 1e-4, momentum: 0.9), options).Fit(Data.Value);
        return (model, results);
    }

    [Test]
    public void ConvVae_OneStep_OnIlgpuCpu_MatchesTheCpu()
    {
        var (cpuModel, cpu) = Train(Device.Cpu);
        var (gpuModel, gpu) = Train(Device.IlgpuCpu);
        Assert.That(gpu[0].TrainLoss, Is.EqualTo(cpu[0].TrainLoss).Within(1e-3).Percent, "train loss");
        Assert.That(gpu[0].TestLoss, Is.EqualTo(cpu[0].TestLoss).Within(1e-3).Percent, "test loss (eval mode: running statistics)");
        Compare(cpuModel.NamedParameters().Select(p => (p.Name, p.Parameter.Data)), gpuModel.NamedParameters().Select(p => (p.Name, p.Parameter.Data)));
        // The batch-norm running statistics were updated on the device like on the CPU.
        Compare(cpuModel.NamedBuffers(), gpuModel.NamedBuffers());
    }

    [Test]
    public void ConvVae_OneStep_OnARealGpu_MatchesTheCpu()
    {
        Assume.That(Scratch.Kernels.Gpu.GpuDevice.IsCudaAvailable(out var why), why);
        var (_, cpu) = Train(Device.Cpu);
        var (_, gpu) = Train(Device.Cuda);
        // CUDA's exp/log are a few ulps off the CPU's (as in GpuTrainingTests): a looser tolerance.
        Assert.That(gpu[0].TrainLoss, Is.EqualTo(cpu[0].TrainLoss).Within(1e-2).Percent, "train loss");
        Assert.That(gpu[0].TestLoss, Is.EqualTo(cpu[0].TestLoss).Within(1e-2).Percent, "test loss");
    }

    // The devices may differ by float32 rounding (sums in a different order), nothing more.
    private static void Compare(IEnumerable<(string Name, Tensor Value)> cpu, IEnumerable<(string Name, Tensor Value)> gpu)
    {
        var expected = cpu.ToList();
        var actual = gpu.ToList();
        Assert.That(actual.Select(a => a.Name), Is.EqualTo(expected.Select(e => e.Name)));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(actual[i].Value.Device, Is.EqualTo(Device.IlgpuCpu), $"{actual[i].Name} stayed on the device");
            var e = expected[i].Value.To(DType.Float32).ToArray<float>();
            var a = actual[i].Value.To(Device.Cpu).To(DType.Float32).ToArray<float>();
            for (int j = 0; j < e.Length; j++)
                Assert.That(a[j], Is.EqualTo(e[j]).Within(1e-4 * Math.Max(1, Math.Abs(e[j]))), $"{expected[i].Name}[{j}]");
        }
    }
}
