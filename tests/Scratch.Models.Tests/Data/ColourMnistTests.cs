using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

/// <summary>Colour MNIST as the AVAE paper's code builds it (avae/data_iterators.py, lines 76–92): one of seven on/off channel patterns per image.</summary>
public class ColourMnistTests
{
    private static readonly Lazy<ImageDataset> Grey = new(DataSource.Sample);
    private static readonly Lazy<ImageDataset> Coloured = new(() => DataSource.Load("colour-mnist"));

    [Test]
    public void TheSample_IsThreeBy28By28_InBothSplits_WithItsLabelsAndClassNames()
    {
        var grey = Grey.Value;
        var colour = Coloured.Value;
        Assert.That((colour.Format, colour.Source, colour.TestIsHoldout), Is.EqualTo(("colour-mnist", "colour-mnist", false)));
        Assert.That(colour.Shape, Is.EqualTo(new ImageShape(3, 28, 28)));
        Assert.That(colour.Test.Shape, Is.EqualTo(new ImageShape(3, 28, 28)));
        Assert.That((colour.Train.Count, colour.Test.Count), Is.EqualTo((grey.Train.Count, grey.Test.Count)));
        Assert.That(colour.Train.Labels, Is.EqualTo(grey.Train.Labels));
        Assert.That(colour.Test.Labels, Is.EqualTo(grey.Test.Labels));
        Assert.That(colour.ClassNames, Is.EqualTo(grey.ClassNames));
        Assert.That(colour.IsLabelled, Is.True);
    }

    [Test]
    public void EveryImage_IsItsGreyDigitInTheChannelsItsColourTurnsOn_AndZeroInTheOthers()
    {
        var grey = Grey.Value;
        var colour = Coloured.Value;
        foreach (var (g, c, test) in new[] { (grey.Train, colour.Train, false), (grey.Test, colour.Test, true) })
        {
            var ids = ColourMnist.SplitColours(g.Count, ColourMnist.DefaultSeed, test);
            for (int n = 0; n < g.Count; n++)
            {
                var (c0, c1, c2) = ColourMnist.Channels(ids[n]);
                var digit = g.Image(n);
                var image = c.Image(n);
                bool[] on = [c0, c1, c2];
                for (int ch = 0; ch < 3; ch++)
                {
                    var plane = image.Slice(ch * 784, 784);
                    if (on[ch] ? !plane.SequenceEqual(digit) : plane.ContainsAnyExcept((byte)0))
                        Assert.Fail($"{(test ? "test" : "train")} image {n}, colour {ids[n]}: channel {ch} should be {(on[ch] ? "the digit" : "zero")}");
                }
            }
        }
    }

    [Test]
    public void TheRule_OnAMadeUpGreyImage_CopiesItsIntensitiesIntoTheChannelsOfEachColour()
    {
        // 1×2×3: a black background pixel, faint to full strokes.
        byte[] greyPixels = [0, 1, 64, 128, 200, 255];
        var grey = new ImageSet(new ImageShape(1, 2, 3), [.. Enumerable.Range(0, 7).SelectMany(_ => greyPixels)], [0, 1, 2, 3, 4, 5, 6]);
        var colour = ColourMnist.Colour(grey, [1, 2, 3, 4, 5, 6, 7]);
        Assert.That(colour.Shape, Is.EqualTo(new ImageShape(3, 2, 3)));
        Assert.That(colour.Labels, Is.EqualTo(grey.Labels));
        byte[] zero = new byte[6];
        // id k: channel 0 ← bit 0, channel 1 ← bit 2, channel 2 ← bit 1, as the authors' jnp.stack([red, blue, green]) orders them.
        var expected = new Dictionary<int, byte[][]>
        {
            [1] = [greyPixels, zero, zero],             // red
            [2] = [zero, zero, greyPixels],             // blue (the code's comment says green: its stack swaps the last two)
            [3] = [greyPixels, zero, greyPixels],       // magenta
            [4] = [zero, greyPixels, zero],             // green (the comment says blue)
            [5] = [greyPixels, greyPixels, zero],       // yellow
            [6] = [zero, greyPixels, greyPixels],       // cyan
            [7] = [greyPixels, greyPixels, greyPixels], // white
        };
        for (int k = 1; k <= 7; k++)
        {
            var image = colour.Image(k - 1).ToArray();
            Assert.That(new[] { image[..6], image[6..12], image[12..] }, Is.EqualTo(expected[k]), $"colour {k}");
            // As floats, what the authors' float32 image / 255 times a 0/1 channel gives.
            var floats = new float[18];
            colour.CopyImage(k - 1, floats);
            for (int i = 0; i < 18; i++)
                Assert.That(floats[i], Is.EqualTo((expected[k][i / 6][i % 6] == 0 ? 0f : greyPixels[i % 6] / 255f)));
        }
    }

    [Test]
    public void TheSevenColours_AreEveryOnOffPatternButBlack()
    {
        var patterns = Enumerable.Range(1, 7).Select(ColourMnist.Channels).ToList();
        Assert.That(patterns.Distinct().Count(), Is.EqualTo(7));
        Assert.That(patterns, Does.Not.Contain((false, false, false)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ColourMnist.Channels(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ColourMnist.Channels(8));
    }

    [Test]
    public void ColoursAreUniformOverTheSeven_ForTheSampleAndForManyDraws()
    {
        // Each colour has probability 1/7; a count more than 5 standard deviations from n/7 would mean a broken draw.
        foreach (var count in new[] { Coloured.Value.Train.Count, 70_000 })
        {
            var ids = ColourMnist.DrawColours(count, new Rng(123));
            double mean = count / 7.0, sd = Math.Sqrt(count * (1 / 7.0) * (6 / 7.0));
            for (int k = 1; k <= 7; k++)
                Assert.That(ids.Count(id => id == k), Is.InRange(mean - 5 * sd, mean + 5 * sd), $"colour {k} of {count}");
            Assert.That(ids, Has.All.InRange(1, 7));
        }

        // In the sample itself: every digit class is seen in every colour (on average 114 each).
        var train = Coloured.Value.Train;
        var trainIds = ColourMnist.SplitColours(train.Count, ColourMnist.DefaultSeed, test: false);
        for (int digit = 0; digit < 10; digit++)
            Assert.That(Enumerable.Range(0, train.Count).Where(n => train.Labels[n] == digit).Select(n => trainIds[n]).Distinct().Count(), Is.EqualTo(7), $"digit {digit}");
        // And neighbouring images do not share one colour: consecutive equal ids about 1 time in 7.
        int same = Enumerable.Range(1, trainIds.Length - 1).Count(n => trainIds[n] == trainIds[n - 1]);
        Assert.That(same / (double)(trainIds.Length - 1), Is.InRange(0.11, 0.175));
    }

    [Test]
    public void TheSameSeed_GivesTheSameBytes_BitForBit_AndAnotherSeedOthers()
    {
        // SequenceEqual, not NUnit's element-by-element EqualTo: 6 MB of bytes a split.
        var folder = DataSource.SampleDirectory();
        var a = ColourMnist.Load(folder);
        var b = DataSource.Load("color-mnist");
        var c = DataSource.Load($"COLOUR-MNIST:{folder}");
        Assert.That(b.Train.Pixels.AsSpan().SequenceEqual(a.Train.Pixels), Is.True, "train bytes");
        Assert.That(b.Test.Pixels.AsSpan().SequenceEqual(a.Test.Pixels), Is.True, "test bytes");
        Assert.That(c.Train.Pixels.AsSpan().SequenceEqual(a.Train.Pixels), Is.True, "colour-mnist:PATH of the sample, the sample's bytes");
        Assert.That((b.Fingerprint, c.Fingerprint), Is.EqualTo((a.Fingerprint, a.Fingerprint)), "the same folder and seed, the same fingerprint whatever the spelling");

        var other = ColourMnist.Load(folder, seed: 1);
        Assert.That(other.Train.Pixels.AsSpan().SequenceEqual(a.Train.Pixels), Is.False, "another seed, other colours");
        Assert.That(other.Fingerprint, Is.Not.EqualTo(a.Fingerprint));
        Assert.That(ColourMnist.SplitColours(100, 0, test: true), Is.Not.EqualTo(ColourMnist.SplitColours(100, 0, test: false)), "train and test draw from their own streams");
    }

    [Test]
    public void TheFingerprint_DiffersFromTheGreySample_AndFollowsTheOptions()
    {
        var colour = Coloured.Value;
        Assert.That(colour.Fingerprint, Has.Length.EqualTo(16));
        Assert.That(colour.Fingerprint, Is.Not.EqualTo(Grey.Value.Fingerprint));
        Assert.That(DataSource.Load("colour-mnist", new DataOptions { Channels = 1 }).Fingerprint, Is.Not.EqualTo(colour.Fingerprint));
    }

    [Test]
    public void ImageSizeAndChannels_ApplyAfterColouring()
    {
        var colour = Coloured.Value;
        var big = DataSource.Load("colour-mnist", new DataOptions { ImageSize = (32, 32) });
        Assert.That(big.Shape, Is.EqualTo(new ImageShape(3, 32, 32)));
        Assert.That(big.Train.Labels, Is.EqualTo(colour.Train.Labels));
        Assert.That(big.Test.Image(5).ToArray(), Is.EqualTo(ImageFit.All(colour.Test.Take(6), new DataOptions { ImageSize = (32, 32) }).Image(5).ToArray()));

        var grey = DataSource.Load("colour-mnist", new DataOptions { Channels = 1 });
        Assert.That(grey.Shape, Is.EqualTo(new ImageShape(1, 28, 28)));
        Assert.That(grey.Test.Image(3).ToArray(), Is.EqualTo(ImageChannels.ToGrey(new PixelImage(colour.Shape, colour.Test.Image(3).ToArray())).Pixels), "the luma of the coloured digit");
    }

    [Test]
    public void AMissingOrWrongFolder_IsRefusedNamingIt()
    {
        using var temp = new TempFolder();
        var missing = temp.File("nowhere");
        var notFound = Assert.Throws<DirectoryNotFoundException>(() => DataSource.Load($"colour-mnist:{missing}"));
        Assert.That(notFound!.Message, Does.Contain(missing).And.Contain("does not exist"));
        var empty = Assert.Throws<DataFormatException>(() => DataSource.Load($"colour-mnist:{temp.Path}"));
        Assert.That(empty!.Message, Does.StartWith(temp.Path).And.Contain("IDX"));
        Assert.Throws<DataFormatException>(() => DataSource.Load("colour-mnist:"));
        Assert.Throws<ArgumentException>(() => ColourMnist.Colour(ImageFit.All(Grey.Value.Test.Take(2), new DataOptions { Channels = 3 }), [1, 2]), "only grey images are coloured");
        Assert.Throws<ArgumentException>(() => ColourMnist.Colour(Grey.Value.Test.Take(2), [1]), "one colour per image");
    }
}
