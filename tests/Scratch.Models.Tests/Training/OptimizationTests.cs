using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Training;

/// <summary>The optimization recipe: optimizer choice, learning-rate schedules with warm-up, gradient clipping, early stopping.</summary>
public class OptimizationTests
{
    private static double RateAt(TrainOptions options, double epochs)
    {
        var p = new[] { new Variable(Tensor.Zeros([1]), requiresGrad: true) };
        return Optimization.CreateScheduler(options, Optimization.CreateOptimizer(options, p)).LearningRateAt(epochs);
    }

    [Test]
    public void SchedulesGiveTheLearningRatesByHand()
    {
        var step = new TrainOptions { LearningRate = 0.1, Schedule = "step", StepSize = 3, Gamma = 0.5, Epochs = 10 };
        Assert.That(RateAt(step, 2.9), Is.EqualTo(0.1));
        Assert.That(RateAt(step, 3.0), Is.EqualTo(0.05));
        Assert.That(RateAt(step, 6.5), Is.EqualTo(0.025));
        var cosine = new TrainOptions { LearningRate = 0.2, Schedule = "cosine", Epochs = 4 };
        Assert.That(RateAt(cosine, 0), Is.EqualTo(0.2));
        Assert.That(RateAt(cosine, 2), Is.EqualTo(0.1).Within(1e-15));
        Assert.That(RateAt(cosine, 4), Is.EqualTo(0).Within(1e-15));
        var warm = cosine with { LrWarmup = 1 };
        Assert.That(RateAt(warm, 0.25), Is.EqualTo(0.25 * 0.2 * 0.5 * (1 + Math.Cos(Math.PI * 0.25 / 4))).Within(1e-15));
        Assert.That(RateAt(warm, 1.5), Is.EqualTo(RateAt(cosine, 1.5)));
        Assert.That(RateAt(new TrainOptions { LearningRate = 0.3 }, 7.5), Is.EqualTo(0.3), "constant");
    }

    [Test]
    public void ASchedulerSetsItsOptimizersRate_WhateverTheOptimizer()
    {
        var p = new[] { new Variable(Tensor.Zeros([1]), requiresGrad: true) };
        foreach (Optimizer optimizer in new Optimizer[] { new Adam(p, 0.4), new AdamW(p, 0.4), new Sgd(p, 0.4) })
        {
            new StepLR(optimizer, stepSize: 1, gamma: 0.5).Step(2.5);
            Assert.That(optimizer.LearningRate, Is.EqualTo(0.1), optimizer.GetType().Name);
        }
    }

    [Test]
    public void ClipGradNormScalesAsTorchDoes()
    {
        var a = new Variable(Tensor.Zeros([2], DType.Float64), requiresGrad: true) { Grad = Tensor.FromArray(new[] { 3.0, 0 }, 2) };
        var b = new Variable(Tensor.Zeros([1], DType.Float64), requiresGrad: true) { Grad = Tensor.FromArray(new[] { 4.0 }, 1) };
        Assert.That(Optimization.ClipGradNorm([a, b], 1.0), Is.EqualTo(5.0));
        double c = 1 / (5 + 1e-6);
        Assert.That(a.Grad!.ToArray<double>(), Is.EqualTo(new[] { 3 * c, 0 }).Within(1e-15));
        Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(new[] { 4 * c }).Within(1e-15));
        Assert.That(Optimization.ClipGradNorm([a, b], 10.0), Is.EqualTo(5 * c).Within(1e-12), "under the limit: untouched");
        Assert.That(a.Grad!.ToArray<double>()[0], Is.EqualTo(3 * c).Within(1e-15));
    }

    [Test]
    public void TheOptionsNameTheOptimizer()
    {
        var p = new[] { new Variable(Tensor.Zeros([2]), requiresGrad: true) };
        Assert.That(Optimization.CreateOptimizer(new TrainOptions(), p), Is.TypeOf<Adam>());
        Assert.That(Optimization.CreateOptimizer(new TrainOptions { Optimizer = "adamw", WeightDecay = 0.01 }, p), Is.TypeOf<AdamW>());
        var sgd = (Sgd)Optimization.CreateOptimizer(new TrainOptions { Optimizer = "sgd", Momentum = 0.9, WeightDecay = 1e-4 }, p);
        Assert.That((sgd.Settings.Momentum, sgd.Settings.WeightDecay), Is.EqualTo((0.9, 1e-4)));
    }

    [Test]
    public void EarlyStoppingCountsEpochsSinceTheBestValidationLoss()
    {
        var model = ModelFactory.Create(new ModelSpec { Kind = "ae", Config = new AutoencoderConfig { HiddenSizes = [], LatentSize = 2 } }, new Rng(1));
        var options = new TrainOptions { Epochs = 10, Patience = 2, TrainLimit = 64, TestLimit = 32 };
        var trainer = new Trainer(model, new Adam(model.Parameters()), options) { EpochsDone = 3 };
        // Best at epoch 1, then two epochs without improvement: patience is used up.
        foreach (var (epoch, loss) in new[] { (1, 5.0), (2, 6.0), (3, 5.5) })
            trainer.History.Add(new EpochResult(epoch, loss, [], loss, [], TimeSpan.Zero, 0) { ValidationLoss = loss });
        var data = Models.Data.DataSource.Load(Models.Data.DataSource.SampleDirectory());
        Assert.That(trainer.Fit(data), Is.Empty);
        Assert.That(trainer.StoppedEarly, Is.True);
        trainer.History[2] = trainer.History[2] with { TestLoss = 1.0 }; // a better test loss changes nothing
        Assert.That(trainer.Loop.PatienceUsedUp(), Is.True);
        trainer.History[2] = trainer.History[2] with { ValidationLoss = 4.0 }; // a new best at epoch 3: training goes on
        var fresh = new Trainer(model, new Adam(model.Parameters()), options with { Epochs = 4 }) { EpochsDone = 3 };
        fresh.History.AddRange(trainer.History);
        Assert.That(fresh.Fit(data), Has.Count.EqualTo(1));
        Assert.That(fresh.StoppedEarly, Is.False);
    }
}
