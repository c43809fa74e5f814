using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Cli.Tests;

/// <summary>
/// A run interrupted after epoch 1 and resumed from its checkpoint must give, bitwise, the
/// losses and weights of the run that was never interrupted (same thread count, CPU).
/// </summary>
public class ResumeTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    private static readonly TrainOptions Recipe = new() { Epochs = 2, BatchSize = 64, TrainLimit = 256, TestLimit = 128, Seed = 5 };

    private static Trainer NewTrainer(ModelSpec spec, TrainOptions options)
    {
        var model = ModelFactory.Create(spec, new Rng(options.Seed));
        return new Trainer(model, new Adam(model.Parameters(), options.LearningRate), options);
    }

    // The VAE draws ε and the denoising AE draws noise from the trainer's RNG: both test its restore.
    [TestCase("vae")]
    [TestCase("denoising")]
    [TestCase("sparse")]
    public void ResumedRunMatchesTheUninterruptedOneBitwise(string kind)
    {
        var spec = new ModelSpec { Kind = kind, Config = new AutoencoderConfig { HiddenSizes = [32], LatentSize = 4 }, WarmupEpochs = 1.5 };
        var straight = NewTrainer(spec, Recipe);
        straight.Fit(Data.Value);

        using var temp = new TempFolder();
        var first = NewTrainer(spec, Recipe with { Epochs = 1 });
        first.Fit(Data.Value);
        ModelCheckpoint.Save(temp.File("c.scratch"), first);
        var resumed = ModelCheckpoint.Resume(ModelCheckpoint.Load(temp.File("c.scratch")), Recipe);
        Assert.That(resumed.EpochsDone, Is.EqualTo(1));
        resumed.Fit(Data.Value);

        Assert.That(resumed.History, Has.Count.EqualTo(2), "history: the loaded epoch plus the new one");
        var (a, b) = (straight.History[1], resumed.History[1]);
        Assert.That(BitConverter.DoubleToInt64Bits(b.TrainLoss), Is.EqualTo(BitConverter.DoubleToInt64Bits(a.TrainLoss)), "epoch-2 train loss");
        Assert.That(BitConverter.DoubleToInt64Bits(b.TestLoss), Is.EqualTo(BitConverter.DoubleToInt64Bits(a.TestLoss)), "epoch-2 test loss");
        Assert.That(b.TrainTerms.Select(t => t.Value).ToArray(), Is.EqualTo(a.TrainTerms.Select(t => t.Value).ToArray()), "epoch-2 terms");
        Assert.That(resumed.History[0].TrainLoss, Is.EqualTo(straight.History[0].TrainLoss), "epoch 1 came back from the file exactly");
        Assert.That(resumed.Optimizer.StepCount, Is.EqualTo(straight.Optimizer.StepCount));
        AssertSameParameters(straight.Model, resumed.Model);
    }

    [Test]
    public void ResumeAtTheCommandLineReproducesTheStraightRun()
    {
        using var temp = new TempFolder();
        string[] recipe = [.. TinyRuns.TinyRecipe, "--model", "vae", "--seed", "9"];
        CliRunner.Ok(["train", "--epochs", "2", "--out", temp.File("straight"), .. recipe]);
        CliRunner.Ok(["train", "--epochs", "1", "--out", temp.File("split"), .. recipe]);
        var resumed = CliRunner.Ok("train", "--resume", temp.File("split/checkpoint.scratch"), "--epochs", "2");
        Assert.That(resumed.Output, Does.Contain("after epoch 1"));

        // history.csv writes doubles with "R": equal text is equal bits. The last two columns are timings.
        static string[] Losses(string folder) => File.ReadAllLines(Path.Combine(folder, "history.csv")).Skip(1)
            .Select(line => string.Join(",", line.Split(',')[..^2])).ToArray();
        Assert.That(Losses(temp.File("split")), Is.EqualTo(Losses(temp.File("straight"))));
        AssertSameParameters(ModelCheckpoint.Load(temp.File("straight/checkpoint.scratch")).Model,
            ModelCheckpoint.Load(temp.File("split/checkpoint.scratch")).Model);
    }

    [Test]
    public void ResumeWithoutEpochsFinishesTheSavedPlan()
    {
        using var temp = new TempFolder();
        var trainer = NewTrainer(new ModelSpec { Kind = "ae", Config = new AutoencoderConfig { HiddenSizes = [16], LatentSize = 3 } }, Recipe with { Epochs = 3 });
        trainer.RunEpoch(Splits(Recipe).Train, Splits(Recipe).Test);
        ModelCheckpoint.Save(temp.File("checkpoint.scratch"), trainer);
        var result = CliRunner.Ok("train", "--resume", temp.File("checkpoint.scratch"), "--lr", "0.5");
        Assert.That(result.Output, Does.Contain("ignoring --lr"));
        Assert.That(ModelCheckpoint.Load(temp.File("checkpoint.scratch")).EpochsDone, Is.EqualTo(3));
    }

    private static (ImageSet Train, ImageSet Test) Splits(TrainOptions o) =>
        (Data.Value.Train.Take(o.TrainLimit), Data.Value.Test.Take(o.TestLimit));

    private static void AssertSameParameters(Autoencoder expected, Autoencoder actual)
    {
        var e = expected.NamedParameters().ToList();
        var a = actual.NamedParameters().ToList();
        Assert.That(a.Select(p => p.Name), Is.EqualTo(e.Select(p => p.Name)));
        for (int i = 0; i < e.Count; i++)
        {
            var x = e[i].Parameter.Data.ToArray<float>().Select(BitConverter.SingleToInt32Bits).ToArray();
            var y = a[i].Parameter.Data.ToArray<float>().Select(BitConverter.SingleToInt32Bits).ToArray();
            Assert.That(y, Is.EqualTo(x), $"parameter {e[i].Name}, bitwise");
        }
    }
}
