using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Cli.Tests;

/// <summary>A checkpoint brings back the model as it was: same kind, settings and weights.</summary>
public class ModelCheckpointTests
{
    public static IEnumerable<ModelSpec> Specs()
    {
        var config = new AutoencoderConfig { HiddenSizes = [12, 8], LatentSize = 3, Activation = Activation.Tanh, Loss = ReconstructionLoss.Mse, InputSize = 20 };
        yield return new ModelSpec { Kind = "ae", Config = config };
        yield return new ModelSpec { Kind = "sparse", Config = config, SparsityRho = 0.1, SparsityBeta = 2.5 };
        yield return new ModelSpec { Kind = "sparse", Config = config, SparsityL1 = 0.003 };
        yield return new ModelSpec { Kind = "denoising", Config = config, NoiseSigma = 0.45 };
        yield return new ModelSpec { Kind = "denoising", Config = config, NoiseSigma = 0.2, NoiseClip = true };
        yield return new ModelSpec { Kind = "denoising", Config = config, MaskFraction = 0.25 };
        yield return new ModelSpec { Kind = "vae", Config = config with { DType = DType.Float64 }, Beta = 0.5, WarmupEpochs = 3 };
        yield return new ModelSpec { Kind = "contractive", Config = config with { HiddenSizes = [] }, ContractiveLambda = 0.02 };
    }

    [TestCaseSource(nameof(Specs))]
    public void RoundTripKeepsKindSettingsWeightsAndRecipe(ModelSpec spec)
    {
        using var temp = new TempFolder();
        var options = new TrainOptions { Epochs = 7, BatchSize = 33, LearningRate = 3e-4, Seed = ulong.MaxValue - 3, TrainLimit = 100, TestLimit = 50 };
        var model = ModelFactory.Create(spec, new Rng(11));
        var trainer = new Trainer(model, new Adam(model.Parameters()), options) { EpochsDone = 2 };
        // A state is consistent: one history record per epoch done.
        trainer.History.AddRange([new EpochResult(1, 9.5, [("reconstruction", 9.5)], 9.8, [], TimeSpan.FromSeconds(1.5), 100),
            new EpochResult(2, 8.5, [("reconstruction", 8.5)], double.NaN, [], TimeSpan.FromSeconds(1.25), 120) { Steps = 4 }]);
        trainer.Rng.NextNormal(); // leave a spare normal cached: its bits must survive too
        ModelCheckpoint.Save(temp.File("c.scratch"), trainer);

        var loaded = ModelCheckpoint.Load(temp.File("c.scratch"));
        var back = loaded.Spec;
        Assert.That(back with { Config = spec.Config }, Is.EqualTo(spec with { Config = spec.Config }), "variant settings");
        Assert.That(back.Config.HiddenSizes, Is.EqualTo(spec.Config.HiddenSizes));
        Assert.That(back.Config with { HiddenSizes = spec.Config.HiddenSizes }, Is.EqualTo(spec.Config));
        Assert.That(loaded.Model.GetType(), Is.EqualTo(model.GetType()));
        Assert.That(loaded.Options with { Device = options.Device }, Is.EqualTo(options));
        Assert.That(loaded.EpochsDone, Is.EqualTo(2));
        Assert.That(loaded.History, Is.EqualTo(trainer.History).Using<EpochResult>((a, b) => a.Epoch == b.Epoch && a.TrainLoss.Equals(b.TrainLoss)
            && a.TestLoss.Equals(b.TestLoss) && a.Duration == b.Duration && a.Steps == b.Steps && a.TrainTerms.SequenceEqual(b.TrainTerms)), "history, a NaN test loss included");
        Assert.That(loaded.Trainer.Rng.State, Is.EqualTo(trainer.Rng.State));
        foreach (var ((name, a), (_, b)) in model.NamedParameters().Zip(loaded.Model.NamedParameters()))
            Assert.That(b.Data.ToDoubleArray(), Is.EqualTo(a.Data.ToDoubleArray()), name);
        Assert.That(ModelCheckpoint.SpecOf(loaded.Model) with { Config = spec.Config }, Is.EqualTo(spec with { Config = spec.Config }));
    }

    [Test]
    public void ComparisonCheckpoints_KeepAdamState_AndResume()
    {
        using var temp = new TempFolder();
        var data = DataSource.Load(DataSource.SampleDirectory());
        var spec = new ModelSpec { Config = new AutoencoderConfig { HiddenSizes = [8], LatentSize = 2 } };
        var options = new TrainOptions { Epochs = 1, BatchSize = 64, TrainLimit = 128, TestLimit = 64 };
        var row = FamilyComparison.Run(data, spec, options, ["ae"]).Single();
        ModelCheckpoint.Save(temp.File("m.scratch"), row.Trainer);
        var file = Safetensors.Load(temp.File("m.scratch"));
        Assert.That(file.Tensors.Select(a => a.Name), Does.Contain("optimizer.m.0").And.Contain("encoder.0.weight"));
        var trainer = ModelCheckpoint.Resume(ModelCheckpoint.Load(temp.File("m.scratch")));
        Assert.That(trainer.Optimizer.StepCount, Is.EqualTo(2));
        Assert.That(trainer.EpochsDone, Is.EqualTo(1));
    }
}
