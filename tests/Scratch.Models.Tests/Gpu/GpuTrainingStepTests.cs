using Scratch.Autograd;
using Scratch.Kernels.Gpu;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Gpu;

// One training step of every model family on the CPU and on ilgpu-cpu, twice: with the simulator
// users get (small reduction groups) and with CUDA's launch sizes (GpuDevice.CreateCudaLikeSimulator,
// installed as the ilgpu-cpu backend for the fixture). Same seed, same batch, float32; weights made
// on the CPU then moved, and noise from the same seeded streams on both devices. After the step it
// compares the loss terms, every parameter's gradient, every parameter and every buffer (batch
// norm's running statistics).
//
// Tolerances. The device sums in another order (strided partials, then a tree; GEMM tiles), so
// results agree to float32 rounding of sums, not to the bit:
// - loss terms: relative 1e-4 (a sum of a few thousand float32 terms: ~1e-6 observed);
// - gradients: |gpu − cpu| ≤ 1e-3·max(|cpu|, 1e-2·max|cpu over the tensor|). A gradient element is a
//   sum over the batch and the layer above; where that sum cancels to near zero its rounding error
//   stays at the scale of its terms, so it is judged against the tensor's scale. 1e-3, not 1e-4:
//   the errors compound through the network's depth (conv nets: im2col GEMMs, batch norm, pooling);
// - parameters after Adam: relative 1e-5 (p − lr·step in float32), except where Adam's first step,
//   −lr·g/(|g| + ε), turns rounding noise of a gradient that is truly ~0 into a ±lr move whose sign
//   the noise picks (see GpuConvTrainingTests): there an element may differ by up to 2·lr. That
//   allowance applies only where the CPU's final gradient is within the gradient tolerance of 0,
//   and the count of such elements is printed. A parameter whose whole CPU gradient is below 1e-5 of
//   the largest gradient in its network has a true gradient of 0 (a conv bias that feeds a batch
//   norm): both devices hold rounding noise there, and the device's must be as small;
// - buffers (running mean and variance): the gradient tolerance (they are batch statistics).
[TestFixtureSource(nameof(Simulators))]
[NonParallelizable]
public class GpuTrainingStepTests(string simulator)
{
    public static readonly string[] Simulators = ["ilgpu-cpu", "cuda-like"];

    private const double LossRel = 1e-4, GradRel = 1e-3, ParamRel = 1e-5, ZeroGradient = 1e-5;

    // Kept for the process: the pool of a GpuBackend clears on TensorPool.Clearing, so it is not disposed.
    private static readonly Lazy<GpuBackend> CudaLike = new(() => new GpuBackend(Device.IlgpuCpu, GpuDevice.CreateCudaLikeSimulator()));
    private static readonly Lazy<ImageSet> Digits = new(() => DataSource.Load(DataSource.SampleDirectory()).Train.Take(4));
    private static Device Sim => Device.IlgpuCpu;
    private IDisposable? _backend;

    [OneTimeSetUp]
    public void UseSimulator()
    {
        if (simulator == "cuda-like") _backend = Backends.Use(CudaLike.Value);
        var gpu = ((GpuBackend)Backends.For(Sim)).Gpu;
        Assert.That(gpu.ReductionGroupSize, Is.EqualTo(simulator == "cuda-like" ? 256 : 32), $"running on {gpu}");
    }

    [OneTimeTearDown]
    public void Restore() => _backend?.Dispose();

    [TestCase("ae")]
    [TestCase("sparse")]
    [TestCase("denoising")]
    [TestCase("vae")]
    [TestCase("contractive")]
    public void MlpAutoencoder_OneStep_MatchesTheCpu(string kind) =>
        AutoencoderStep(kind, new AutoencoderConfig { HiddenSizes = [16], LatentSize = 4 });

    [Test]
    public void ConvVae_OneStep_MatchesTheCpu() =>
        AutoencoderStep("vae", new AutoencoderConfig { Architecture = Architecture.Conv, LatentSize = 4 });

    // The step Trainer takes (Trainer.Step), written out so the gradients can be read after it.
    private static void AutoencoderStep(string kind, AutoencoderConfig config)
    {
        var cpu = Step(Device.Cpu);
        var gpu = Step(Sim);
        CompareTerms(cpu.Terms, gpu.Terms);
        CompareModule("model", cpu.Model, gpu.Model, LearningRate);

        (Autoencoder Model, IReadOnlyList<(string Name, double Value)> Terms) Step(Device device)
        {
            var model = ModelFactory.Create(new ModelSpec { Kind = kind, Config = config }, new Rng(5));
            model.To(device);
            var adam = new Adam(model.Parameters().ToList(), LearningRate);
            model.Train();
            var x = Batches.Gather(Digits.Value, [0, 1, 2, 3], DType.Float32, device);
            adam.ZeroGrad();
            var loss = model.ComputeLoss(x, new TrainingContext(new Rng(9)));
            loss.Total.Backward();
            adam.Step();
            return (model, loss.Terms);
        }
    }

    private const double LearningRate = 1e-3;

    private static GanRecipe Tiny(Device device) =>
        new() { Shape = new GanShape(LatentSize: 8, Features: 4), BatchSize = 4, Epochs = 1, TrainLimit = 4, Seed = 7, Device = device };

    [Test]
    public void Dcgan_OneStep_MatchesTheCpu()
    {
        var cpu = new DcganTrainer(Tiny(Device.Cpu), Digits.Value);
        var gpu = new DcganTrainer(Tiny(Sim), Digits.Value);
        cpu.Fit();
        gpu.Fit();
        CompareTerms(cpu.Steps.Single().Terms, gpu.Steps.Single().Terms);
        double lr = cpu.Recipe.LearningRate;
        CompareModule("generator", cpu.Generator, gpu.Generator, lr);
        CompareModule("discriminator", cpu.Discriminator, gpu.Discriminator, lr);
    }

    [Test]
    public void VaeGan_OneStep_MatchesTheCpu()
    {
        var cpu = new VaeGanTrainer(Tiny(Device.Cpu), Digits.Value);
        var gpu = new VaeGanTrainer(Tiny(Sim), Digits.Value);
        cpu.Fit();
        gpu.Fit();
        CompareTerms(cpu.Steps.Single().Terms, gpu.Steps.Single().Terms);
        double lr = cpu.Recipe.LearningRate;
        CompareModule("encoder", cpu.Encoder, gpu.Encoder, lr);
        CompareModule("decoder", cpu.Decoder, gpu.Decoder, lr);
        CompareModule("discriminator", cpu.Discriminator, gpu.Discriminator, lr);
    }

    private static void CompareTerms(IReadOnlyList<(string Name, double Value)> cpu, IReadOnlyList<(string Name, double Value)> gpu)
    {
        Assert.That(gpu.Select(t => t.Name), Is.EqualTo(cpu.Select(t => t.Name)));
        for (int i = 0; i < cpu.Count; i++)
            Assert.That(gpu[i].Value, Is.EqualTo(cpu[i].Value).Within(LossRel * Math.Max(Math.Abs(cpu[i].Value), 1e-6)), $"loss term {cpu[i].Name}");
    }

    private static void CompareModule(string what, Module cpu, Module gpu, double lr)
    {
        var expected = cpu.NamedParameters().ToList();
        var actual = gpu.NamedParameters().ToList();
        Assert.That(actual.Select(p => p.Name), Is.EqualTo(expected.Select(p => p.Name)), $"{what}: parameters");
        int signFlips = 0;
        double moduleScale = expected.Max(p => p.Parameter.Grad!.ToArray<float>().Max(v => Math.Abs((double)v)));
        for (int i = 0; i < expected.Count; i++)
        {
            var (name, e) = expected[i];
            var a = actual[i].Parameter;
            Assert.That(a.Data.Device, Is.EqualTo(Sim), $"{what}.{name} stayed on the device");
            Assert.That(a.Grad, Is.Not.Null, $"{what}.{name}.grad");
            var gradE = e.Grad!.ToArray<float>();
            var gradA = a.Grad!.To(Device.Cpu).ToArray<float>();
            var gradTolerance = GradientTolerances(gradE);
            if (gradE.Max(v => Math.Abs(v)) <= ZeroGradient * moduleScale)
            {
                // A truly zero gradient (a conv bias feeding batch norm, which subtracts the mean):
                // both devices hold rounding noise, which must stay as small; Adam may move it ±lr.
                Assert.That(gradA.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(ZeroGradient * moduleScale), $"{what}.{name}.grad is ~0 on the device too");
                Array.Fill(gradTolerance, ZeroGradient * moduleScale);
            }
            else
            for (int j = 0; j < gradE.Length; j++)
                if (!(Math.Abs(gradA[j] - gradE[j]) <= gradTolerance[j]))
                    Assert.Fail($"{what}.{name}.grad[{j}]: cpu {gradE[j]:R}, {Sim} {gradA[j]:R} (tolerance {gradTolerance[j]:G3})");

            var pe = e.Data.ToArray<float>();
            var pa = a.Data.To(Device.Cpu).ToArray<float>();
            for (int j = 0; j < pe.Length; j++)
            {
                double diff = Math.Abs(pa[j] - pe[j]);
                if (diff <= ParamRel * Math.Max(Math.Abs(pe[j]), 1e-2)) continue;
                if (Math.Abs(gradE[j]) <= gradTolerance[j] && diff <= 2 * lr * (1 + 1e-3)) { signFlips++; continue; }
                Assert.Fail($"{what}.{name}[{j}] after the step: cpu {pe[j]:R}, {Sim} {pa[j]:R} (gradient cpu {gradE[j]:R}, {Sim} {gradA[j]:R})");
            }
        }
        TestContext.Out.WriteLine($"{what}: {expected.Count} parameters; {signFlips} elements with a ~0 gradient moved by Adam's ±lr the other way");

        var bufferE = cpu.NamedBuffers().ToList();
        var bufferA = gpu.NamedBuffers().ToList();
        Assert.That(bufferA.Select(b => b.Name), Is.EqualTo(bufferE.Select(b => b.Name)), $"{what}: buffers");
        for (int i = 0; i < bufferE.Count; i++)
        {
            var e = bufferE[i].Buffer.ToArray<float>();
            var a = bufferA[i].Buffer.To(Device.Cpu).ToArray<float>();
            var tolerance = GradientTolerances(e);
            for (int j = 0; j < e.Length; j++)
                if (!(Math.Abs(a[j] - e[j]) <= tolerance[j]))
                    Assert.Fail($"{what}.{bufferE[i].Name}[{j}]: cpu {e[j]:R}, {Sim} {a[j]:R}");
        }
    }

    private static double[] GradientTolerances(float[] expected)
    {
        double scale = expected.Length == 0 ? 0 : expected.Max(v => Math.Abs((double)v));
        return [.. expected.Select(v => GradRel * Math.Max(Math.Abs(v), Math.Max(1e-2 * scale, 1e-12)))];
    }
}
