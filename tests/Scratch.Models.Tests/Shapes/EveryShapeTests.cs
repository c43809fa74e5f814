using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Shapes;

// Every model family on images that are neither 28×28 nor grey nor square: made-up random bytes of
// 40×40, 48×32 and 20×20, grey and RGB. Each model trains six steps with finite losses that move,
// makes (N, C·H·W) pictures, saves a checkpoint that loads back bit for bit (every tensor, then a
// forward pass), and the loaded model refuses images of another shape in one line naming both.
// Widths of 4 channels and codes of 4 keep the 60 cases to well under a minute on one core.
public class EveryShapeTests
{
    private static readonly ImageShape[] Sizes = [new(1, 40, 40), new(3, 40, 40), new(1, 48, 32), new(3, 48, 32), new(1, 20, 20), new(3, 20, 20)];

    private static IEnumerable<TestCaseData> Autoencoders() =>
        from image in Sizes
        from model in ModelSpec.Kinds.Select(k => (k, Architecture.Mlp)).Concat(ModelSpec.ConvKinds.Select(k => (k, Architecture.Conv)))
        select new TestCaseData(model.Item1, model.Item2, image.Channels, image.Height, image.Width);

    // The GANs also at the sizes their papers use: 28 (the digits), 32 and 64 (Radford et al.'s faces), grey and RGB.
    private static readonly ImageShape[] GanSizes = [.. Sizes, new(1, 28, 28), new(3, 28, 28), new(1, 32, 32), new(3, 32, 32), new(1, 64, 64), new(3, 64, 64)];

    private static IEnumerable<TestCaseData> Gans() =>
        from image in GanSizes
        from family in new[] { "dcgan", "vae-gan" }
        select new TestCaseData(family, image.Channels, image.Height, image.Width);

    // count random images of a shape: bytes as a set holds them.
    private static ImageSet Random(ImageShape shape, int count, int seed)
    {
        var pixels = new byte[count * shape.Pixels];
        new Random(seed).NextBytes(pixels);
        return new ImageSet(shape, pixels, labels: null);
    }

    // Same sides, the other channel count; and for a non-square image the same values transposed,
    // which an MLP that knew only its input size would take without a word.
    private static IEnumerable<ImageShape> OtherShapes(ImageShape s) =>
        s.Height == s.Width ? [s with { Channels = 4 - s.Channels }] : [s with { Channels = 4 - s.Channels }, new(s.Channels, s.Width, s.Height)];

    [TestCaseSource(nameof(Autoencoders))]
    public void Autoencoder_Trains_RoundTripsBitwise_AndRefusesAnotherShape(string kind, Architecture arch, int c, int h, int w)
    {
        var image = new ImageShape(c, h, w);
        var config = new AutoencoderConfig { Architecture = arch, Image = image, InputSize = image.Pixels, HiddenSizes = [16], LatentSize = 4 };
        if (arch == Architecture.Conv) config = config with { ConvWidth = 4 };   // the MLP's recipe has no width to save
        var model = ModelFactory.Create(new ModelSpec { Kind = kind, Config = config }, new Rng(3));
        var options = new TrainOptions { Epochs = 3, BatchSize = 6, Seed = 3 };
        var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.Parameters()), options);
        var (train, test) = (Random(image, 12, 1), Random(image, 4, 2));

        // Three epochs of two steps: each epoch's loss is the mean of its two.
        var history = trainer.Fit(train, test);
        Assert.That(history.Select(e => e.TrainLoss).Concat(history.Select(e => e.TestLoss)), Has.All.Matches<double>(double.IsFinite));
        Assert.That(history[^1].TrainLoss, Is.Not.EqualTo(history[0].TrainLoss), "the loss moved");
        Assert.That(trainer.Optimizer.StepCount, Is.EqualTo(6));

        var x = Tensor.FromArray(test.ToFloats(), test.Count, image.Pixels);
        var reconstruction = model.Reconstruct(x);
        Assert.That(reconstruction.ShapeArray, Is.EqualTo(new[] { 4, image.Pixels }));
        Assert.That(reconstruction.ToArray<float>(), Has.All.InRange(0f, 1f));

        using var temp = new TempFolder();
        string path = temp.File(ModelCheckpoint.FileName);
        ModelCheckpoint.Save(path, trainer);
        var loaded = ModelCheckpoint.Load(path);
        Assert.That(SameConfig(loaded.Spec.Config, config), $"the config read back, image shape and width included: {loaded.Spec.Config}");
        Assert.That(Bits(loaded.Model.NamedState()), Is.EqualTo(Bits(model.NamedState())), "weights and BatchNorm buffers");
        Assert.That(Bits(loaded.Trainer.Optimizer.State()), Is.EqualTo(Bits(trainer.Optimizer.State())), "Adam's moments");
        Assert.That((loaded.OptimizerSteps, loaded.EpochsDone, loaded.Trainer.Rng.State), Is.EqualTo((6, 3, trainer.Rng.State)));
        Assert.That(Bits(loaded.Model.Reconstruct(x)), Is.EqualTo(Bits(reconstruction)), "a forward pass after loading");
        if (model is VariationalAutoencoder vae)
        {
            var sample = vae.Sample(3, new Rng(9));
            Assert.That(sample.ShapeArray, Is.EqualTo(new[] { 3, image.Pixels }));
            Assert.That(Bits(((VariationalAutoencoder)loaded.Model).Sample(3, new Rng(9))), Is.EqualTo(Bits(sample)), "a sample after loading");
        }

        foreach (var other in OtherShapes(image))
        {
            var e = Assert.Throws<ArgumentException>(() => ImageSizes.Check(loaded.Model.Config, Random(other, 2, 3), "the other set"))!;
            AssertOneLine(e.Message, $"{image} images ({image.Pixels} values)", $"{other} images ({other.Pixels} values)");
        }
    }

    [TestCaseSource(nameof(Gans))]
    public void Gan_Trains_RoundTripsBitwise_AndRefusesAnotherShape(string family, int c, int h, int w)
    {
        var image = new ImageShape(c, h, w);
        Func<GanRecipe, ImageSet, GanTrainer> create = family == "dcgan" ? (r, s) => new DcganTrainer(r, s) : (r, s) => new VaeGanTrainer(r, s);
        var recipe = new GanRecipe { Shape = new GanShape(LatentSize: 8, Features: 4) { Image = image }, BatchSize = 6, Epochs = 3, Seed = 3 };
        var trainer = create(recipe, Random(image, 12, 1));

        trainer.Fit();
        Assert.That(trainer.Steps, Has.Count.EqualTo(6));
        var terms = trainer.Steps[0].Terms.Select(t => t.Name).ToArray();
        for (int t = 0; t < terms.Length; t++)
        {
            var losses = trainer.Steps.Select(s => s.Terms[t].Value).ToArray();
            Assert.That(losses, Has.All.Matches<double>(double.IsFinite), terms[t]);
            Assert.That(losses.Distinct().Count(), Is.GreaterThan(1), $"the {terms[t]} loss moved");
        }

        var sample = trainer.Sample(5, new Rng(9));
        Assert.That(sample.ShapeArray, Is.EqualTo(new[] { 5, image.Pixels }));
        Assert.That(sample.ToArray<float>(), Has.All.InRange(0f, 1f));
        var x = Tensor.FromArray(Random(image, 4, 2).ToFloats(), 4, image.Pixels);
        if (trainer is VaeGanTrainer vaeGan)
            Assert.That(Reconstructed(vaeGan, x).ShapeArray, Is.EqualTo(new[] { 4, image.Pixels }), "a reconstruction");

        using var temp = new TempFolder();
        string path = temp.File("gan.checkpoint.scratch");
        GanCheckpoint.Save(path, trainer);
        var loaded = GanCheckpoint.Load(path);
        Assert.That(loaded.GetType(), Is.EqualTo(trainer.GetType()));
        Assert.That(loaded.Recipe, Is.EqualTo(recipe), "the recipe, image shape included");
        Assert.That(Everything(loaded), Is.EqualTo(Everything(trainer)), "every network's state and every Adam's");
        Assert.That(loaded.Steps.SelectMany(s => s.Terms), Is.EqualTo(trainer.Steps.SelectMany(s => s.Terms)), "the per-step losses");
        Assert.That(Bits(loaded.Sample(5, new Rng(9))), Is.EqualTo(Bits(sample)), "a sample after loading");
        Assert.That(Bits(Judged(loaded, x)), Is.EqualTo(Bits(Judged(trainer, x))), "the discriminator after loading");
        if (trainer is VaeGanTrainer before)
            Assert.That(Bits(Reconstructed((VaeGanTrainer)loaded, x)), Is.EqualTo(Bits(Reconstructed(before, x))), "a reconstruction after loading");

        foreach (var other in OtherShapes(image))
        {
            var e = Assert.Throws<ArgumentException>(() => create(loaded.Recipe, Random(other, 2, 3)))!;
            AssertOneLine(e.Message, $"{image} images ({image.Pixels} values)", $"{other} images ({other.Pixels} values)");
        }
    }

    // Dec(μ(x)) in eval mode: a forward pass in training mode would move BatchNorm's running statistics.
    private static Tensor Reconstructed(VaeGanTrainer t, Tensor x)
    {
        t.Encoder.Eval();
        t.Decoder.Eval();
        using (NoGrad.Scope())
        {
            var images = t.Decoder.Forward(t.Encoder.Posterior(x).Mu).Data;
            t.Encoder.Train();
            t.Decoder.Train();
            return images;
        }
    }

    // The discriminator's logits in eval mode (its running statistics, which the file restored).
    private static Tensor Judged(GanTrainer t, Tensor x)
    {
        var d = t.Networks.Single(n => n.Name == "discriminator").Network;
        d.Eval();
        using (NoGrad.Scope())
        {
            var logits = ((DcganDiscriminator)d).Forward(x).Data;
            d.Train();
            return logits;
        }
    }

    // A config read back compares equal by value; its hidden sizes are a list, which records compare by reference.
    private static bool SameConfig(AutoencoderConfig a, AutoencoderConfig b) =>
        a with { HiddenSizes = [] } == b with { HiddenSizes = [] } && a.HiddenSizes.SequenceEqual(b.HiddenSizes);

    private static void AssertOneLine(string message, params string[] mentions)
    {
        Assert.That(message, Does.Not.Contain('\n'), "one line");
        foreach (var m in mentions) Assert.That(message, Does.Contain(m));
    }

    // Every tensor a GAN run owns, as bits.
    private static List<(string, int[])> Everything(GanTrainer t) =>
        t.Networks.SelectMany(n => Bits(n.Network.NamedState().Select(s => (n.Name + "." + s.Name, s.Value)))
            .Concat(Bits(n.Optimizer.State().Select(s => ($"{n.Name}.adam.{s.Name}", s.State))))
            .Append(($"{n.Name}.adam.steps", [n.Optimizer.StepCount]))).ToList();

    private static List<(string, int[])> Bits(IEnumerable<(string Name, Tensor Value)> tensors) =>
        tensors.Select(t => (t.Name, Bits(t.Value))).ToList();

    // float32 values as their bit patterns: equal means bitwise equal (NaN, −0 and all).
    private static int[] Bits(Tensor t) => System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(t.ToArray<float>()).ToArray();
}
