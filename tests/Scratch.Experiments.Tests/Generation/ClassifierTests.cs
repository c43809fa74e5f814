using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Experiments.Generation;
using Scratch.Models.Training;

namespace Scratch.Experiments.Tests.Generation;

public class ClassifierTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    private static readonly ClassifierRecipe Small = new() { Channels1 = 4, Channels2 = 8, Hidden = 32, Epochs = 3, LearningRate = 3e-3, MaxShift = 1, Dropout = 0, Seed = 3 };

    [Test]
    public void LearnsDigits_FromTwoThousandImages()
    {
        // A quality test (about 10 s on 2 cores): 3 epochs on 2,000 digits must beat chance (10%) by far.
        var classifier = new FeatureClassifier(Small, Scratch.Models.Data.ImageShape.Mnist, 10, new Rng(3));
        var history = classifier.Fit(Data.Value.Train.Take(2000));
        double accuracy = classifier.Accuracy(Data.Value.Test.Take(500));
        TestContext.Out.WriteLine($"accuracy {accuracy:P1}, cross-entropy {history[0].TrainLoss:F3} → {history[^1].TrainLoss:F3}");
        Assert.That(history[^1].TrainLoss, Is.LessThan(history[0].TrainLoss));
        Assert.That(accuracy, Is.GreaterThan(0.85));
    }

    [Test]
    public void Cache_TrainsOnce_LoadsTheSameFeatures_RefusesAnotherRecipe()
    {
        using var folder = new TempFolder();
        var tiny = Small with { Epochs = 1 };
        var data = Data.Value;
        var (train, test) = (data.Train.Take(256), data.Test.Take(100));
        var first = FeatureNetworkCache.LoadOrTrain(folder.Path, "digits", train, test, tiny);
        Assert.That(first.FromCache, Is.False);
        var second = FeatureNetworkCache.LoadOrTrain(folder.Path, "digits", train, test, tiny);
        Assert.That(second.FromCache, Is.True);
        Assert.That(second.TestAccuracy, Is.EqualTo(first.TestAccuracy));
        var images = test.ToFloats(0, 10);
        var a = first.Classifier.Embed(images, 10);
        var b = second.Classifier.Embed(images, 10);
        Assert.That(a.Dim, Is.EqualTo(4 * 8), "the last conv block (8 channels) pooled to 2×2");
        for (int i = 0; i < 10; i++) Assert.That(b.Row(i).ToArray(), Is.EqualTo(a.Row(i).ToArray()));
        var ex = Assert.Throws<CheckpointFormatException>(() => FeatureNetworkCache.Load(first.Path, tiny with { Seed = 4 }, "digits"));
        Assert.That(ex!.Message, Does.Contain("recipe"));
        // Another dataset never reuses it: its own file, trained anew, and this one refused for it.
        ex = Assert.Throws<CheckpointFormatException>(() => FeatureNetworkCache.Load(first.Path, tiny, "fashion"));
        Assert.That(ex!.Message, Does.Contain("trained on data digits, not on fashion"));
        var other = FeatureNetworkCache.LoadOrTrain(folder.Path, "fashion", train, test, tiny);
        Assert.That((other.FromCache, other.Path), Is.Not.EqualTo((true, first.Path)));
        Assert.That(Path.GetExtension(other.Path), Is.EqualTo(".safetensors"));
    }

    [Test]
    public void ImageShift_MovesPixels_ZerosFlowIn()
    {
        // 3×3 image 1..9 shifted down 1 and left 1: row 0 empty, then rows 0..1 of the source moved one column left.
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var destination = new float[9];
        ImageShift.Shift(source, destination, 3, 3, dy: 1, dx: -1);
        Assert.That(destination, Is.EqualTo(new float[] { 0, 0, 0, 2, 3, 0, 5, 6, 0 }));
        ImageShift.Shift(source, destination, 3, 3, dy: 0, dx: 0);
        Assert.That(destination, Is.EqualTo(source));
        ImageShift.Shift(source, destination, 3, 3, dy: -2, dx: 2);
        Assert.That(destination, Is.EqualTo(new float[] { 0, 0, 7, 0, 0, 0, 0, 0, 0 }));
    }
}
