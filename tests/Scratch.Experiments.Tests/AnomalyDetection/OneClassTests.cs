using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Experiments.Tests.AnomalyDetection;

public class OneClassTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    // Small and quick (784-64-8, 15 epochs over the ~900 ones: ~1 s on 2 cores): the claim is one
    // that must hold for any working autoencoder — ones are the simplest digits to reconstruct.
    private static readonly OneClassRecipe Small = new()
    {
        Spec = new ModelSpec { Config = new AutoencoderConfig { HiddenSizes = [64], LatentSize = 8 } },
        Options = new TrainOptions { Epochs = 15, Seed = 1 },
    };

    [TestCase("ae")]
    [TestCase("vae")]
    public void AModelTrainedOnOnes_ScoresTestOnesFarLowerThanOtherDigits(string kind)
    {
        var test = Data.Value.Test;
        var fitted = OneClassProtocol.FitAndScore(kind, 1, Data.Value.Train, test, Small);
        foreach (var row in fitted.Scores)
        {
            double ones = row.Scores.Where((_, i) => test.Labels[i] == 1).Average();
            double others = row.Scores.Where((_, i) => test.Labels[i] != 1).Average();
            TestContext.Out.WriteLine($"{row.ScoreName}: mean score of ones {ones:G4}, of others {others:G4}, AUROC {row.Auroc:F4}");
            Assert.That(others, Is.GreaterThan(2 * ones), $"{row.ScoreName}: other digits should score at least twice the ones");
            Assert.That(row.Auroc, Is.GreaterThan(0.95), row.ScoreName);
        }
    }

    [Test]
    public void OfClass_KeepsOnlyThatClassInOrder_UpToTheLimit()
    {
        var train = Data.Value.Train;
        var sevens = OneClassProtocol.OfClass(train, 7, limit: 5);
        Assert.That(sevens.Count, Is.EqualTo(5));
        Assert.That(sevens.Labels, Is.All.EqualTo(7));
        int firstSeven = Array.IndexOf(train.Labels, (byte)7);
        Assert.That(sevens.Image(0).ToArray(), Is.EqualTo(train.Image(firstSeven).ToArray()));
        Assert.That(OneClassProtocol.OfClass(train, 7).Count, Is.EqualTo(train.Labels.Count(l => l == 7)));
    }

    [Test]
    public void AClassWithoutTrainingImages_IsRefusedWithItsNumber()
    {
        var noSevens = OneClassProtocol.OfClasses(Data.Value.Train, [0, 1, 2]);
        Assert.That(() => OneClassProtocol.FitAndScore("pca", 7, noSevens, Data.Value.Test, Small),
            Throws.ArgumentException.With.Message.Contains("class 7 has no training images"));
    }

    [Test]
    public void TheTable_HasARowPerScoreAndTheMeanOverClasses()
    {
        var test = Data.Value.Test.Take(300);
        var recipe = Small with { Options = Small.Options with { Epochs = 1, TrainLimit = 100, TestLimit = 300 } };
        var fitted = new[] { 0, 1 }.SelectMany(d => new[] { "pca", "vae" }.Select(m => OneClassProtocol.FitAndScore(m, d, Data.Value.Train, test, recipe))).ToList();
        var table = OneClassTable.From(fitted);
        Assert.That(table.ScoreNames, Is.EqualTo(new[] { "pca RE", "vae RE", "vae -ELBO" }));
        Assert.That(table.Mean("pca RE"), Is.EqualTo((table.Auroc("pca RE", 0) + table.Auroc("pca RE", 1)) / 2));
        var csv = table.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(csv[0], Is.EqualTo("score,0,1,mean"));
        Assert.That(csv, Has.Length.EqualTo(4));
    }
}
