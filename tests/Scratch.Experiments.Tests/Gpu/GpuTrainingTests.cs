using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Tests.Gpu;

// Training on ilgpu-cpu end to end, against the same run on the CPU: same seed, same initial weights
// (made on the CPU, then moved), same ε (the RNG draws on the host). Tiny sizes: the simulator is slow.
public class GpuTrainingTests
{
    private static readonly Device Sim = Device.IlgpuCpu;
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    // 784-32-4, 32 training images in batches of 16 (2 steps per epoch), 16 test images. On the
    // simulator one 16×784×32 GEMM takes about a second (256 simulated threads per group on 2 cores).
    private static (Autoencoder Model, IReadOnlyList<EpochResult> Results) Train(string kind, Device device, Func<IReadOnlyList<Variable>, Optimizer> optimizer,
        int epochs = 2, int trainLimit = 32)
    {
        var spec = new ModelSpec { Kind = kind, Config = new AutoencoderConfig { HiddenSizes = [32], LatentSize = 4 } };
        var model = ModelFactory.Create(spec, new Rng(3));
        model.To(device);
        var options = new TrainOptions { Epochs = epochs, BatchSize = 16, Seed = 3, TrainLimit = trainLimit, TestLimit = 16, Device = device };
        var results = new Trainer(model, optimizer(model.Parameters().ToList()), options).Fit(Data.Value);
        return (model, results);
    }

    [Test]
    public void Vae_TrainsOnIlgpuCpu_LikeOnTheCpu()
    {
        var (cpuModel, cpu) = Train("vae", Device.Cpu, p => new Adam(p, 1e-3));
        var (gpuModel, gpu) = Train("vae", Sim, p => new Adam(p, 1e-3));
        Assert.That(gpuModel.Parameters().All(p => p.Data.Device == Sim), "the parameters stayed on the device");
        for (int e = 0; e < cpu.Count; e++)
        {
            Assert.That(gpu[e].TrainLoss, Is.EqualTo(cpu[e].TrainLoss).Within(1e-4).Percent, $"epoch {e + 1} train loss");
            Assert.That(gpu[e].TestLoss, Is.EqualTo(cpu[e].TestLoss).Within(1e-4).Percent, $"epoch {e + 1} test loss");
            for (int t = 0; t < cpu[e].TrainTerms.Count; t++)
                Assert.That(gpu[e].TrainTerms[t].Value, Is.EqualTo(cpu[e].TrainTerms[t].Value).Within(1e-3).Percent, cpu[e].TrainTerms[t].Name);
        }
        Assert.That(gpu[1].TrainLoss, Is.LessThan(gpu[0].TrainLoss), "it learns");
        // Four Adam steps later the weights still agree closely (float32 sums in a different order).
        var cpuParameters = cpuModel.Parameters().ToList();
        var gpuParameters = gpuModel.Parameters().ToList();
        for (int i = 0; i < cpuParameters.Count; i++)
        {
            var expected = cpuParameters[i].Data.ToArray<float>();
            var actual = gpuParameters[i].Data.ToArray<float>();
            for (int j = 0; j < expected.Length; j++)
                Assert.That(actual[j], Is.EqualTo(expected[j]).Within(1e-4), $"parameter {i}[{j}]");
        }
        // Reconstructing on the device gives the CPU's pixels.
        var split = Data.Value.Test.Take(4);
        var onCpu = Reconstruction.Reconstruct(cpuModel, split);
        var onDevice = Reconstruction.Reconstruct(gpuModel, split, Sim);
        for (int j = 0; j < onCpu.Length; j++)
            Assert.That(onDevice[j], Is.EqualTo(onCpu[j]).Within(1e-4), $"pixel {j}");
    }

    [Test]
    public void Autoencoder_WithSgdMomentum_TrainsOnIlgpuCpu_LikeOnTheCpu()
    {
        var (_, cpu) = Train("ae", Device.Cpu, p => new Sgd(p, 1e-3, momentum: 0.9), epochs: 1);
        var (_, gpu) = Train("ae", Sim, p => new Sgd(p, 1e-3, momentum: 0.9), epochs: 1);
        for (int e = 0; e < cpu.Count; e++)
            Assert.That(gpu[e].TrainLoss, Is.EqualTo(cpu[e].TrainLoss).Within(1e-4).Percent, $"epoch {e + 1}");
    }

    // The other variants, one step each: their penalties (sparsity KL or L1, corruption drawn on the
    // host, the contractive closed form) and the start-at-mean bias all run on the device.
    [TestCase("sparse")]
    [TestCase("denoising")]
    [TestCase("contractive")]
    public void OtherVariants_OneStep_MatchTheCpu(string kind)
    {
        var (_, cpu) = Train(kind, Device.Cpu, p => new Adam(p, 1e-3), epochs: 1, trainLimit: 16);
        var (_, gpu) = Train(kind, Sim, p => new Adam(p, 1e-3), epochs: 1, trainLimit: 16);
        Assert.That(gpu[0].TrainLoss, Is.EqualTo(cpu[0].TrainLoss).Within(1e-4).Percent, "train loss");
        Assert.That(gpu[0].TestLoss, Is.EqualTo(cpu[0].TestLoss).Within(1e-3).Percent, "test loss after one step");
        Assert.That(gpu[0].TrainTerms.Select(t => t.Name), Is.EqualTo(cpu[0].TrainTerms.Select(t => t.Name)));
    }

    [Test]
    public void Vae_OnARealGpu_TrainsLikeOnTheCpu()
    {
        Assume.That(Scratch.Kernels.Gpu.GpuDevice.IsCudaAvailable(out var why), why);
        var (_, cpu) = Train("vae", Device.Cpu, p => new Adam(p, 1e-3));
        var (_, gpu) = Train("vae", Device.Cuda, p => new Adam(p, 1e-3));
        for (int e = 0; e < cpu.Count; e++)
            Assert.That(gpu[e].TrainLoss, Is.EqualTo(cpu[e].TrainLoss).Within(1e-2).Percent, $"epoch {e + 1}");   // CUDA exp/log are a few ulps off
    }
}
