using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Nn;

namespace Scratch.Models.Tests.Nn;

// The one sizing rule of every conv network (ConvStages), checked on the examples its summary
// states, then through the networks built from it: for every shape in a list — odd, non-square, as
// small as the rule takes — the conv AE's decoder and DCGAN's generator give back exactly the
// input's C×H×W, not merely as many values.
public class ConvStagesTests
{
    // (C, H, W) → stages, and the smallest map (h, w): the examples in ConvStages' summary.
    [TestCase(1, 28, 28, 2, 7, 7)]
    [TestCase(3, 32, 32, 3, 4, 4)]
    [TestCase(3, 64, 64, 4, 4, 4)]
    [TestCase(3, 40, 40, 3, 5, 5)]
    [TestCase(1, 48, 32, 3, 6, 4)]
    [TestCase(3, 20, 20, 2, 5, 5)]
    public void TheStatedExamples(int c, int h, int w, int count, int bottomH, int bottomW)
    {
        var stages = new ConvStages(new ImageShape(c, h, w), 32);
        Assert.That(stages.Count, Is.EqualTo(count));
        Assert.That(stages.Bottom, Is.EqualTo(new Size2(bottomH, bottomW)));
        Assert.That(stages.Size(0), Is.EqualTo(new Size2(h, w)), "stage 0 is the image");
        for (int s = 1; s <= count; s++)
            Assert.That(stages.Size(s), Is.EqualTo(new Size2(stages.Size(s - 1).H / 2, stages.Size(s - 1).W / 2)), $"stage {s} halves, rounding down");
        Assert.That(Math.Min(stages.Size(count - 1).H, stages.Size(count - 1).W), Is.GreaterThanOrEqualTo(ConvStages.StopBelow), "the last stage was taken from a map of at least 8");
        Assert.That(Math.Min(bottomH, bottomW), Is.LessThan(ConvStages.StopBelow), "and no further stage is");
    }

    [Test]
    public void Channels_DoubleFromTheBase_AndTheFlatMapIsTheirProduct()
    {
        var rgb = new ConvStages(new ImageShape(3, 32, 32), 32);
        Assert.That(Enumerable.Range(0, rgb.Count + 1).Select(rgb.Channels), Is.EqualTo(new[] { 3, 32, 64, 128 }));
        Assert.That((rgb.BottomChannels, rgb.Flat), Is.EqualTo((128, 128 * 4 * 4)));
        Assert.That(rgb.ToString(), Is.EqualTo("3×32×32 → 32×16×16 → 64×8×8 → 128×4×4"));

        var digits = new ConvStages(ImageShape.Mnist, 32);
        Assert.That(digits.Flat, Is.EqualTo(3136), "64·7·7: the 28×28 grey networks as they always were");
        var narrow = new ConvStages(new ImageShape(1, 64, 64), 5);
        Assert.That(Enumerable.Range(0, narrow.Count + 1).Select(narrow.Channels), Is.EqualTo(new[] { 1, 5, 10, 20, 40 }));
    }

    // (C, H, W) → the output padding of each transposed convolution, stage 1 first: 1 where the
    // encoder rounded an odd side down.
    [TestCase(1, 28, 28, new[] { 0, 0, 0, 0 })]          // 28 → 14 → 7: all even
    [TestCase(3, 40, 40, new[] { 0, 0, 0, 0, 0, 0 })]    // 40 → 20 → 10 → 5
    [TestCase(1, 7, 9, new[] { 1, 1 })]                  // 7×9 → 3×4
    [TestCase(3, 13, 29, new[] { 1, 1 })]                // 13×29 → 6×14
    [TestCase(1, 50, 50, new[] { 0, 0, 1, 1, 0, 0 })]    // 50 → 25 → 12 → 6
    [TestCase(3, 17, 30, new[] { 1, 0, 0, 1 })]          // 17×30 → 8×15 → 4×7: a side of 8 still takes a stage
    public void OutputPaddings_RestoreTheOddSides(int c, int h, int w, int[] paddings)
    {
        var stages = new ConvStages(new ImageShape(c, h, w), 8);
        var expected = Enumerable.Range(0, paddings.Length / 2).Select(s => new Size2(paddings[2 * s], paddings[2 * s + 1])).ToArray();
        Assert.That(Enumerable.Range(1, stages.Count).Select(stages.OutputPadding), Is.EqualTo(expected));
        for (int s = 1; s <= stages.Count; s++)
        {
            var (big, small, pad) = (stages.Size(s - 1), stages.Size(s), stages.OutputPadding(s));
            // ConvT 4×4 s2 p1: (n − 1)·2 − 2 + 4 + padding = 2n + padding.
            Assert.That(new Size2(2 * small.H + pad.H, 2 * small.W + pad.W), Is.EqualTo(big), $"stage {s} undone");
        }
    }

    [TestCase(1, 3, 3)]
    [TestCase(3, 1, 28)]
    [TestCase(1, 28, 1)]
    [TestCase(3, 40, 3)]
    public void ImagesBelow4x4_AreRefusedInOneLineNamingTheImage(int c, int h, int w)
    {
        var image = new ImageShape(c, h, w);
        AssertOneLine(Assert.Throws<ArgumentException>(() => _ = new ConvStages(image, 32))!, image.ToString(), "at least 4×4");
    }

    [Test]
    public void AWidthOfZero_IsRefusedInOneLineNamingTheImage()
    {
        var image = new ImageShape(3, 40, 40);
        AssertOneLine(Assert.Throws<ArgumentException>(() => _ = new ConvStages(image, 0))!, "40×40 RGB", "not 0");
        var config = new AutoencoderConfig { Architecture = Architecture.Conv, Image = image, InputSize = image.Pixels, ConvWidth = 0 };
        AssertOneLine(Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelSpec { Kind = "ae", Config = config }, new Rng(1)))!, "40×40 RGB", "not 0");
        AssertOneLine(Assert.Throws<ArgumentException>(() => _ = new DcganGenerator(new GanShape(4, 0) { Image = image }, new Rng(1)))!, "40×40 RGB", "not 0");
    }

    private static void AssertOneLine(ArgumentException e, params string[] mentions)
    {
        Assert.That(e.Message, Does.Not.Contain('\n'), "one line");
        foreach (var m in mentions) Assert.That(e.Message, Does.Contain(m));
    }

    // Odd, non-square, the smallest the rule takes, long and thin, and the usual squares.
    private static readonly ImageShape[] Shapes =
    [
        new(1, 28, 28), new(3, 32, 32), new(3, 64, 64), new(3, 40, 40), new(1, 48, 32), new(3, 20, 20),
        new(1, 7, 9), new(3, 13, 29), new(1, 4, 4), new(3, 5, 5), new(1, 8, 8), new(3, 9, 8), new(1, 50, 50),
        new(3, 17, 30), new(1, 4, 100), new(3, 100, 6), new(1, 31, 63),
    ];

    private static IEnumerable<TestCaseData> EveryShape() => Shapes.Select(s => new TestCaseData(s.Channels, s.Height, s.Width));

    [TestCaseSource(nameof(EveryShape))]
    public void ConvAutoencoder_DecodesExactlyTheInputsShape(int c, int h, int w)
    {
        var image = new ImageShape(c, h, w);
        var config = new AutoencoderConfig { Architecture = Architecture.Conv, Image = image, InputSize = image.Pixels, ConvWidth = 2, LatentSize = 3 };
        var model = ModelFactory.Create(new ModelSpec { Kind = "vae", Config = config }, new Rng(1));
        var stages = config.Stages();
        using (NoGrad.Scope())
        {
            var x = Tensor.Rand([2, image.Pixels], new Rng(2));
            // The encoder's smallest map, before its flatten and head: (2, c_S, h_S, w_S).
            Assert.That(Through(model.Encoder, x, dropLast: 2).ShapeArray, Is.EqualTo(new[] { 2, stages.BottomChannels, stages.Bottom.H, stages.Bottom.W }));
            Assert.That(model.Encoder.Forward(x).ShapeArray, Is.EqualTo(new[] { 2, 6 }), "μ and log σ²");
            // The decoder's image, before its flatten: (2, C, H, W) exactly.
            var z = Tensor.Randn([2, 3], new Rng(3));
            Assert.That(Through(model.Decoder, z, dropLast: 1).ShapeArray, Is.EqualTo(new[] { 2, c, h, w }));
            Assert.That(model.Reconstruct(x).ShapeArray, Is.EqualTo(new[] { 2, image.Pixels }));
        }
    }

    [TestCaseSource(nameof(EveryShape))]
    public void DcganGenerator_MakesExactlyTheImagesShape_AndTheDiscriminatorJudgesIt(int c, int h, int w)
    {
        var shape = new GanShape(LatentSize: 4, Features: 2) { Image = new ImageShape(c, h, w) };
        var generator = new DcganGenerator(shape, new Rng(1));
        var discriminator = new DcganDiscriminator(shape, new Rng(2));
        var encoder = new VaeGanEncoder(shape, new Rng(3));
        using (NoGrad.Scope())
        {
            var z = Tensor.Randn([2, 4], new Rng(4));
            // Before the sigmoid's flatten: (2, C, H, W) exactly.
            Assert.That(Through(generator.Net, z, dropLast: 1).ShapeArray, Is.EqualTo(new[] { 2, c, h, w }));
            var images = generator.Forward(z);
            Assert.That(images.ShapeArray, Is.EqualTo(new[] { 2, c * h * w }));
            Assert.That(discriminator.Forward(images).ShapeArray, Is.EqualTo(new[] { 2, 1 }));
            Assert.That(discriminator.Hidden(images).ShapeArray, Is.EqualTo(new[] { 2, shape.Stages().Flat }));
            Assert.That(encoder.Posterior(images).Mu.ShapeArray, Is.EqualTo(new[] { 2, 4 }));
        }
    }

    [TestCase(1, 1, 28)]
    [TestCase(3, 28, 1)]
    [TestCase(1, 3, 3)]
    [TestCase(3, 2, 40)]
    public void EveryNetwork_RefusesATooSmallImage_InOneLineNamingIt(int c, int h, int w)
    {
        var image = new ImageShape(c, h, w);
        var config = new AutoencoderConfig { Architecture = Architecture.Conv, Image = image, InputSize = image.Pixels, ConvWidth = 2, LatentSize = 3 };
        AssertOneLine(Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelSpec { Kind = "ae", Config = config }, new Rng(1)))!, image.ToString());
        var shape = new GanShape(4, 2) { Image = image };
        AssertOneLine(Assert.Throws<ArgumentException>(() => _ = new DcganGenerator(shape, new Rng(1)))!, image.ToString());
        AssertOneLine(Assert.Throws<ArgumentException>(() => _ = new DcganDiscriminator(shape, new Rng(1)))!, image.ToString());
        AssertOneLine(Assert.Throws<ArgumentException>(() => _ = new VaeGanEncoder(shape, new Rng(1)))!, image.ToString());
        // The MLP takes any size: only the conv networks need four pixels a side.
        Assert.That(ModelFactory.Create(new ModelSpec { Kind = "ae", Config = config with { Architecture = Architecture.Mlp, HiddenSizes = [4] } }, new Rng(1)).Reconstruct(Tensor.Zeros([1, image.Pixels])).ShapeArray,
            Is.EqualTo(new[] { 1, image.Pixels }));
    }

    // x through all of the network's layers but its last dropLast.
    private static Variable Through(Sequential net, Variable x, int dropLast)
    {
        foreach (var layer in net.Layers.SkipLast(dropLast)) x = layer.Forward(x);
        return x;
    }
}
