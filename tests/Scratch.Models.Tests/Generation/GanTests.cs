using Scratch.Autograd;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Generation;

public class GanTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    private static readonly GanRecipe Tiny = new() { Shape = new GanShape(LatentSize: 8, Features: 4), BatchSize = 16, Epochs = 1, TrainLimit = 64 };

    private static float[][] Snapshot(Scratch.Models.Nn.Module m) => m.Parameters().Select(p => p.Data.ToArray<float>()).ToArray();

    [Test]
    public void Shapes_GeneratorMakesDigits_DiscriminatorGivesOneLogit()
    {
        var rng = new Rng(1);
        var g = new DcganGenerator(Tiny.Shape, rng);
        var d = new DcganDiscriminator(Tiny.Shape, rng);
        var images = g.Forward(Tensor.Randn([3, 8], rng));
        Assert.That(images.ShapeArray, Is.EqualTo(new[] { 3, 784 }));
        Assert.That(images.Data.ToArray<float>().All(v => v is > 0 and < 1), Is.True, "sigmoid output");
        Assert.That(d.Forward(images).ShapeArray, Is.EqualTo(new[] { 3, 1 }));
        Assert.That(d.Hidden(images).ShapeArray, Is.EqualTo(new[] { 3, 98 * 4 }));
        Assert.That(g.Sample(5, new Rng(2)).ShapeArray, Is.EqualTo(new[] { 5, 784 }));
    }

    [Test]
    public void DcganInit_IsThePapers()
    {
        var g = new DcganGenerator(new GanShape(16, 8), new Rng(3));
        var convWeight = g.NamedParameters().First(p => p.Parameter.Rank == 4).Parameter.Data.ToArray<float>();
        double std = Math.Sqrt(convWeight.Select(v => (double)v * v).Average());
        Assert.That(std, Is.EqualTo(0.02).Within(0.002), "N(0, 0.02)");
        var gamma = g.NamedParameters().First(p => p.Parameter.Rank == 1 && p.Name.EndsWith("weight")).Parameter.Data.ToArray<float>();
        Assert.That(gamma.Average(), Is.EqualTo(1).Within(0.02), "BatchNorm γ around 1");
    }

    [Test]
    public void DcganStep_MovesBothNetworks_ReportsBothLosses_Reproducibly()
    {
        var train = Data.Value.Train.Take(64);
        var a = new DcganTrainer(Tiny, train);
        var g0 = Snapshot(a.Generator);
        var d0 = Snapshot(a.Discriminator);
        var epochs = a.Fit();
        Assert.That(epochs[0].TrainTerms.Select(t => t.Name), Is.EqualTo(new[] { "discriminator", "generator" }));
        Assert.That(a.Steps, Has.Count.EqualTo(4));
        Assert.That(Snapshot(a.Generator), Is.Not.EqualTo(g0));
        Assert.That(Snapshot(a.Discriminator), Is.Not.EqualTo(d0));
        // At the start D knows nothing: each BCE is near ln 2, so D's loss (two of them) is near 1.39.
        Assert.That(a.Steps[0].Terms[0].Value, Is.EqualTo(2 * Math.Log(2)).Within(0.3));
        var b = new DcganTrainer(Tiny, train);
        b.Fit();
        Assert.That(Snapshot(b.Generator), Is.EqualTo(Snapshot(a.Generator)), "same seed, same weights");
    }

    [Test]
    public void BothTrainers_RunInFloat64()
    {
        // GanRecipe.DType reaches every network, batch and draw (the DCGAN golden test relies on it).
        var recipe = Tiny with { DType = DType.Float64, TrainLimit = 32, BatchSize = 16 };
        var train = Data.Value.Train.Take(32);
        GanTrainer[] trainers = [new DcganTrainer(recipe, train), new VaeGanTrainer(recipe, train)];
        foreach (var trainer in trainers)
        {
            var before = trainer.Networks.Select(n => n.Network.Parameters().First().Data.ToArray<double>()).ToArray();
            trainer.Fit();
            Assert.That(trainer.Networks.SelectMany(n => n.Network.NamedState()).All(s => s.Value.DType == DType.Float64), Is.True, trainer.Content);
            Assert.That(trainer.Steps.SelectMany(s => s.Terms).All(t => double.IsFinite(t.Value)), Is.True, trainer.Content);
            var after = trainer.Networks.Select(n => n.Network.Parameters().First().Data.ToArray<double>()).ToArray();
            for (int i = 0; i < after.Length; i++) Assert.That(after[i], Is.Not.EqualTo(before[i]), $"{trainer.Content}: {trainer.Networks[i].Name} moved");
        }
    }

    [Test]
    public void NonFiniteLoss_StopsWithEpochStepAndWhichLoss_WeightsUntouched()
    {
        // Images are bytes and cannot hold a NaN; one NaN weight of the generator makes every fake
        // image NaN, and with them the discriminator's loss on its first step.
        var trainer = new DcganTrainer(Tiny with { BatchSize = 64 }, Data.Value.Train.Take(64));
        var weight = trainer.Generator.Parameters().First().Data;
        var values = weight.ToArray<float>();
        values[3] = float.NaN;
        weight.CopyFrom(Tensor.FromArray(values, weight.ShapeArray));
        var d0 = Snapshot(trainer.Discriminator);
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit());
        Assert.That(ex!.Message, Does.Contain("epoch 1, step 1").And.Contain("the discriminator loss is NaN"));
        Assert.That(Snapshot(trainer.Discriminator), Is.EqualTo(d0), "no update from a NaN loss");
    }

    [Test]
    public void VaeGanStep_EncoderIgnoresGamma_DecoderDoesNot()
    {
        // The encoder minimises L_prior + L_llike; only the decoder's loss has γ. Two runs that differ
        // only in γ must move the encoder identically and the decoder differently.
        var train = Data.Value.Train.Take(32);
        var recipe = Tiny with { TrainLimit = 32, BatchSize = 32 };
        var a = new VaeGanTrainer(recipe with { Gamma = 0 }, train);
        var b = new VaeGanTrainer(recipe with { Gamma = 1 }, train);
        var e0 = Snapshot(a.Encoder);
        a.Fit();
        b.Fit();
        Assert.That(Snapshot(a.Encoder), Is.Not.EqualTo(e0), "the encoder moved");
        Assert.That(Snapshot(b.Encoder), Is.EqualTo(Snapshot(a.Encoder)));
        Assert.That(Snapshot(b.Decoder), Is.Not.EqualTo(Snapshot(a.Decoder)));
        Assert.That(Snapshot(b.Discriminator), Is.EqualTo(Snapshot(a.Discriminator)), "D's update comes first, before γ matters");
        Assert.That(a.Steps[0].Terms.Select(t => t.Name), Is.EqualTo(new[] { "discriminator", "generator", "llike", "kl" }));
        Assert.That(a.Steps[0].Terms.All(t => double.IsFinite(t.Value)), Is.True);
        Assert.That(a.Sample(4, new Rng(1)).ShapeArray, Is.EqualTo(new[] { 4, 784 }));
    }
}
