using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Gpu;

// A training step on a GPU may read the device back once: every read waits for the device to
// finish. The backend counts its device-to-host copies; between two steps' progress reports the
// count must grow by exactly one — the loss and its terms, gathered into one tensor on the device
// (LossReport). A `.Item()` added back to a step makes this fail.
[NonParallelizable]
public class HostReadsPerStepTests
{
    private static readonly Lazy<ImageSet> Images = new(() => DataSource.Sample().Train.Take(10));

    [TestCase("ae")]
    [TestCase("sparse")]
    [TestCase("denoising")]
    [TestCase("vae")]
    [TestCase("contractive")]
    public void EveryAutoencoderStep_ReadsTheDeviceOnce(string kind)
    {
        var device = Device.IlgpuCpu;
        var model = ModelFactory.Create(new ModelSpec { Kind = kind, Config = new AutoencoderConfig { HiddenSizes = [16], LatentSize = 4 } }, new Rng(1));
        model.To(device);
        var options = new TrainOptions { Epochs = 1, BatchSize = 2, Seed = 1, Device = device };
        var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.Parameters()), options);
        var gpu = (GpuBackend)Backends.For(device);
        var reads = new List<long>();
        trainer.Fit(Images.Value, Images.Value.Take(2), onStep: _ => reads.Add(gpu.HostReads));
        var perStep = reads.Zip(reads.Skip(1), (before, after) => after - before).ToArray();
        Assert.That(perStep, Has.Length.EqualTo(4), "five steps of two images: four gaps between their reports");
        Assert.That(perStep, Has.All.EqualTo(1), $"{kind}: device-to-host reads per step");
    }

    [Test]
    public void GradientClipping_AddsOneRead_NotOnePerTensor()
    {
        // torch.nn.utils.clip_grad_norm_ needs the global norm on the host to decide; every tensor's
        // sum of squares comes back in one transfer (a 784-16-4 VAE has 8 parameter tensors).
        var device = Device.IlgpuCpu;
        var model = ModelFactory.Create(new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [16], LatentSize = 4 } }, new Rng(1));
        model.To(device);
        var options = new TrainOptions { Epochs = 1, BatchSize = 2, Seed = 1, Device = device, ClipNorm = 0.5 };
        var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.Parameters()), options);
        var gpu = (GpuBackend)Backends.For(device);
        var reads = new List<long>();
        trainer.Fit(Images.Value, Images.Value.Take(2), onStep: _ => reads.Add(gpu.HostReads));
        Assert.That(reads.Zip(reads.Skip(1), (before, after) => after - before), Has.All.EqualTo(2));
    }

    // The GANs read twice: the discriminator's loss before its backward pass (a NaN must not update
    // it), then the other losses together before theirs. Noise is still drawn on the host.
    [TestCase("dcgan")]
    [TestCase("vae-gan")]
    public void EveryGanStep_ReadsTheDeviceTwice(string kind)
    {
        var device = Device.IlgpuCpu;
        var recipe = new Gans.GanRecipe { Shape = new Gans.GanShape(LatentSize: 8, Features: 4), BatchSize = 2, Epochs = 1, Seed = 7, Device = device };
        Gans.GanTrainer trainer = kind == "dcgan" ? new Gans.DcganTrainer(recipe, Images.Value) : new Gans.VaeGanTrainer(recipe, Images.Value);
        var gpu = (GpuBackend)Backends.For(device);
        var reads = new List<long>();
        trainer.Fit(onStep: _ => reads.Add(gpu.HostReads));
        var perStep = reads.Zip(reads.Skip(1), (before, after) => after - before).ToArray();
        Assert.That(perStep, Has.Length.EqualTo(4));
        Assert.That(perStep, Has.All.EqualTo(2), $"{kind}: device-to-host reads per step");
    }
}
