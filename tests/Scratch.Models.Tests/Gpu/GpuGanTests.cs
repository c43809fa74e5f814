using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Gpu;

// The generation models on ilgpu-cpu against the same step on the CPU: weights made on the CPU then
// moved, the latent noise drawn on the host, so both devices see the same numbers. One step of 4
// images at the smallest widths: the simulator is slow, and one step already runs every kernel of
// both networks forward and backward. The discriminator's loss comes before any update, so it must
// agree to float32 rounding; the generator's comes after one Adam step of D, where Adam's g/√v turns
// the devices' different rounding of near-zero gradients into different ±lr moves (see
// GpuConvTrainingTests), so it agrees more loosely.
public class GpuGanTests
{
    private static readonly Lazy<ImageSet> Digits = new(() => DataSource.Load(DataSource.SampleDirectory()).Train.Take(4));

    private static GanRecipe Tiny(Device device) =>
        new() { Shape = new GanShape(LatentSize: 8, Features: 4), BatchSize = 4, Epochs = 1, TrainLimit = 4, Seed = 7, Device = device };

    [Test]
    public void Dcgan_OneStep_OnIlgpuCpu_MatchesTheCpu()
    {
        var cpu = new DcganTrainer(Tiny(Device.Cpu), Digits.Value);
        var gpu = new DcganTrainer(Tiny(Device.IlgpuCpu), Digits.Value);
        cpu.Fit();
        gpu.Fit();
        Assert.That(gpu.Generator.Parameters().Concat(gpu.Discriminator.Parameters()).All(p => p.Data.Device == Device.IlgpuCpu), "the networks stayed on the device");
        Assert.That(gpu.Steps, Has.Count.EqualTo(1));
        Assert.That(gpu.Steps[0].Terms[0].Value, Is.EqualTo(cpu.Steps[0].Terms[0].Value).Within(1e-4).Percent, "discriminator loss");
        Assert.That(gpu.Steps[0].Terms[1].Value, Is.EqualTo(cpu.Steps[0].Terms[1].Value).Within(1).Percent, "generator loss");
        var samples = gpu.Generator.Sample(3, new Rng(1));
        Assert.That(samples.ShapeArray, Is.EqualTo(new[] { 3, 784 }));
        Assert.That(samples.ToArray<float>().All(v => v is > 0 and < 1), "sigmoid pixels from the device");
    }

    [Test]
    public void VaeGan_OneStep_OnIlgpuCpu_MatchesTheCpu()
    {
        var cpu = new VaeGanTrainer(Tiny(Device.Cpu), Digits.Value);
        var gpu = new VaeGanTrainer(Tiny(Device.IlgpuCpu), Digits.Value);
        cpu.Fit();
        gpu.Fit();
        Assert.That(gpu.Encoder.Parameters().All(p => p.Data.Device == Device.IlgpuCpu), "the encoder stayed on the device");
        var (expected, actual) = (cpu.Steps[0].Terms, gpu.Steps[0].Terms);
        Assert.That(actual[0].Value, Is.EqualTo(expected[0].Value).Within(1e-4).Percent, "discriminator loss");
        Assert.That(actual[3].Value, Is.EqualTo(expected[3].Value).Within(1e-3).Percent, "KL (encoder only, before any encoder update)");
        for (int t = 1; t < 3; t++)
            Assert.That(actual[t].Value, Is.EqualTo(expected[t].Value).Within(1).Percent, expected[t].Name);
    }
}
