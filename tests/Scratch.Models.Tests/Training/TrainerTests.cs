using Scratch.Kernels;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Training;

public class TrainerTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    private static IReadOnlyList<EpochResult> Run(ulong seed, int threads, double learningRate = 1e-3)
    {
        using var _ = CpuThreads.Use(threads);
        var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [32], LatentSize = 4 } };
        var model = ModelFactory.Create(spec, new Rng(seed));
        var options = new TrainOptions { Epochs = 2, BatchSize = 64, Seed = seed, TrainLimit = 512, TestLimit = 256, LearningRate = learningRate };
        return new Trainer(model, new Adam(model.Parameters(), learningRate), options).Fit(Data.Value);
    }

    [Test]
    public void SameSeed_SameLosses_Bitwise_OnOneOrTwoThreads()
    {
        var a = Run(11, threads: 1);
        var b = Run(11, threads: 1);
        var c = Run(11, threads: 2);
        for (int e = 0; e < 2; e++)
        {
            Assert.That(b[e].TrainLoss, Is.EqualTo(a[e].TrainLoss), "same thread count");
            Assert.That(b[e].TestLoss, Is.EqualTo(a[e].TestLoss));
            Assert.That(c[e].TrainLoss, Is.EqualTo(a[e].TrainLoss), "1 vs 2 threads");
        }
        Assert.That(Run(12, threads: 1)[0].TrainLoss, Is.Not.EqualTo(a[0].TrainLoss));
        Assert.That(a[1].TrainLoss, Is.LessThan(a[0].TrainLoss));
    }

    /// <summary>
    /// The full-size VAE (784-400-20, batch 128) for 189 steps on 1 and on 2 threads: every weight
    /// and the test loss are bitwise equal. At this size the GEMMs split their tiles, the reductions
    /// their blocks and Adam its 313,600-element weights across both threads, which the small model
    /// above never does. (13 s measured on 2 cores shared with other builds: the size is the point of the test.)
    /// </summary>
    [Test]
    public void FullSizeModel_OneAndTwoThreads_SameWeightsAndTestLoss_Bitwise()
    {
        (Autoencoder Model, IReadOnlyList<EpochResult> History) Train(int threads)
        {
            using var _ = CpuThreads.Use(threads);
            var model = ModelFactory.Create(new ModelSpec { Kind = "vae" }, new Rng(3));
            var options = new TrainOptions { Epochs = 3, Seed = 3 };
            return (model, new Trainer(model, new Adam(model.Parameters(), 1e-3), options).Fit(Data.Value));
        }
        var (one, oneHistory) = Train(1);
        var (two, twoHistory) = Train(2);
        Assert.That(oneHistory.Count * (Data.Value.Train.Count + 127) / 128, Is.GreaterThanOrEqualTo(180), "a few hundred steps");
        Assert.That(BitConverter.DoubleToInt64Bits(twoHistory[^1].TestLoss), Is.EqualTo(BitConverter.DoubleToInt64Bits(oneHistory[^1].TestLoss)), "test loss");
        var a = one.NamedParameters().ToList();
        var b = two.NamedParameters().ToList();
        for (int i = 0; i < a.Count; i++)
        {
            var x = a[i].Parameter.Data.ToArray<float>().Select(BitConverter.SingleToInt32Bits).ToArray();
            var y = b[i].Parameter.Data.ToArray<float>().Select(BitConverter.SingleToInt32Bits).ToArray();
            Assert.That(y, Is.EqualTo(x), $"{a[i].Name}, bitwise");
        }
    }

    [Test]
    public void ReportsTermsPerEpoch()
    {
        var result = Run(5, threads: 1)[0];
        Assert.That(result.TrainTerms.Select(t => t.Name), Is.EqualTo(new[] { "reconstruction", "kl" }));
        Assert.That(result.TrainTerms.Sum(t => t.Value), Is.EqualTo(result.TrainLoss).Within(1e-3), "β = 1: loss = reconstruction + kl");
        Assert.That(result.SamplesPerSecond, Is.GreaterThan(0));
    }

    [Test]
    public void NonFiniteLoss_StopsWithEpochAndStep()
    {
        var ex = Assert.Throws<TrainingDivergedException>(() => Run(5, threads: 1, learningRate: 1e30));
        Assert.That(ex!.Message, Does.Match("epoch \\d+, step \\d+"));
    }

    [Test]
    public void SteadyStateEpoch_AllocatesOnlyBookkeeping()
    {
        using var _ = CpuThreads.Use(1);
        var model = ModelFactory.Create(new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [64], LatentSize = 8 } }, new Rng(1));
        var options = new TrainOptions { Epochs = 3, BatchSize = 128, TrainLimit = 1024, TestLimit = 500 };
        var trainer = new Trainer(model, new Adam(model.Parameters(), 1e-3), options);
        var train = Data.Value.Train.Take(1024);
        var test = Data.Value.Test.Take(500);
        trainer.RunEpoch(train, test);
        long before = GC.GetAllocatedBytesForCurrentThread();
        trainer.RunEpoch(train, test);
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 8;
        TestContext.Out.WriteLine($"{perStep / 1024.0:F1} KB per step, evaluation included");
        // A batch alone is 392 KB and the activations several times that: only graph bookkeeping may remain.
        Assert.That(perStep, Is.LessThan(64 * 1024));
    }
}
