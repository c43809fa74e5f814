using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Data;

namespace Scratch.Experiments.Tests.AnomalyDetection;

public class InputComplexityTests
{
    [Test]
    public void ABlankImage_IsSimplerThanAStroke_WhichIsSimplerThanNoise()
    {
        var rng = new Random(3);
        var pixels = new byte[3 * 784];
        for (int i = 0; i < 28; i++) pixels[784 + i * 28 + 14] = 255;                 // image 1: one vertical stroke
        for (int i = 0; i < 784; i++) pixels[2 * 784 + i] = (byte)rng.Next(256);      // image 2: noise
        var bits = InputComplexity.Bits(new ImageSet(ImageShape.Mnist, pixels, labels: null));
        Assert.That(bits[0], Is.LessThan(bits[1]));
        Assert.That(bits[1], Is.LessThan(bits[2]));
        Assert.That(bits[2], Is.GreaterThan(784 * 8 * 0.9), "noise does not compress: about 8 bits a pixel");
        Assert.That(bits.All(b => b % 8 == 0), "whole bytes");
    }

    [Test]
    public void AsAOneClassMethod_NeedsNoTraining_AndScoresEveryClassTheSame()
    {
        var data = DataSource.Sample();
        var recipe = new OneClassRecipe { Options = new Models.Training.TrainOptions { TestLimit = 300 } };
        var test = data.Test.Take(300);
        var ones = OneClassProtocol.FitAndScore("complexity", 1, data.Train, test, recipe);
        var sevens = OneClassProtocol.FitAndScore("complexity", 7, data.Train, test, recipe);
        Assert.That(ones.Trainer, Is.Null);
        Assert.That(ones.Scores[0].ScoreName, Is.EqualTo("complexity L(x)"));
        Assert.That(sevens.Scores[0].Scores, Is.EqualTo(ones.Scores[0].Scores));
        // A 1 is the simplest digit to compress: "normal = simple" ranks the others as anomalies well.
        Assert.That(ones.Scores[0].Auroc, Is.GreaterThan(0.9));
    }
}
