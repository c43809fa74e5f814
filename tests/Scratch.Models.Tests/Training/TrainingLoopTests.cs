using Scratch.Autograd;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Training;

public class TrainingLoopTests
{
    private static List<int[]> Record(TrainingLoop loop, int epochs)
    {
        var seen = new List<int[]>();
        for (int e = 0; e < epochs; e++)
            loop.RunEpoch(10, (indices, _) =>
            {
                seen.Add(indices);
                return StepResult.Of(("loss", 1.0));
            });
        return seen;
    }

    [Test]
    public void EveryExampleOncePerEpoch_SeededOrder_ResumeSeesTheSameBatches()
    {
        var a = Record(new TrainingLoop(new LoopOptions(3, 4, Seed: 7)), 3);
        Assert.That(a.Count, Is.EqualTo(9), "3 batches (4, 4, 2) per epoch");
        for (int e = 0; e < 3; e++)
            Assert.That(a.Skip(3 * e).Take(3).SelectMany(b => b).Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(a[0], Is.Not.EqualTo(a[3]), "a fresh order each epoch");
        Assert.That(Record(new TrainingLoop(new LoopOptions(3, 4, Seed: 7)), 3), Is.EqualTo(a), "same seed, same order");
        Assert.That(Record(new TrainingLoop(new LoopOptions(3, 4, Seed: 8)), 1)[0], Is.Not.EqualTo(a[0]));
        var resumed = new TrainingLoop(new LoopOptions(3, 4, Seed: 7)) { EpochsDone = 2 };
        Assert.That(Record(resumed, 1), Is.EqualTo(a.Skip(6)), "epoch 3 after a resume = epoch 3 of an unbroken run");
    }

    [Test]
    public void History_IsPerSample_WeightedByBatchSize_WithTerms()
    {
        var loop = new TrainingLoop(new LoopOptions(1, 4, Seed: 1));
        // The loss of a batch is its size: batches 4, 4, 2 → per-sample mean (4·4 + 4·4 + 2·2) / 10 = 3.6.
        var epoch = loop.RunEpoch(10, (indices, _) => StepResult.Of(("discriminator", indices.Length), ("generator", 1.0)));
        Assert.That(epoch.TrainLoss, Is.EqualTo(4.6).Within(1e-12));
        Assert.That(epoch.TrainTerms, Is.EqualTo(new[] { ("discriminator", 3.6), ("generator", 1.0) }).Using<(string, double)>((x, y) => x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < 1e-12));
        Assert.That(epoch.Steps, Is.EqualTo(3));
        Assert.That(loop.History, Has.Count.EqualTo(1));
        Assert.That(loop.EpochsDone, Is.EqualTo(1));
    }

    [Test]
    public void Callbacks_StepAndEpoch_AndFitStopsAtTheEpochCount()
    {
        var loop = new TrainingLoop(new LoopOptions(2, 3, Seed: 1));
        var steps = new List<(int Epoch, int Step, int Of)>();
        var epochs = new List<int>();
        var infos = new List<StepInfo>();
        loop.OnStep = p => steps.Add((p.Epoch, p.Step, p.StepsPerEpoch));
        loop.OnEpoch = e => epochs.Add(e.Epoch);
        var results = loop.Fit(9, (_, info) =>
        {
            infos.Add(info);
            return StepResult.Of(("loss", 0.5));
        });
        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(epochs, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(steps, Is.EqualTo(new[] { (1, 1, 3), (1, 2, 3), (1, 3, 3), (2, 1, 3), (2, 2, 3), (2, 3, 3) }));
        Assert.That(infos.Select(i => i.EpochProgress), Is.EqualTo(new[] { 0, 1 / 3.0, 2 / 3.0, 1, 4 / 3.0, 5 / 3.0 }).Within(1e-12));
        Assert.That(loop.Fit(9, (_, _) => throw new AssertionException("no epoch left to run")), Is.Empty);
    }

    [Test]
    public void NonFiniteTerm_StopsNamingEpochStepAndTerm()
    {
        var loop = new TrainingLoop(new LoopOptions(3, 2, Seed: 1)) { EpochsDone = 1 };
        int calls = 0;
        var ex = Assert.Throws<TrainingDivergedException>(() => loop.RunEpoch(8, (_, info) =>
            ++calls == 3 ? StepResult.Of(("discriminator", 0.7), ("generator", double.NaN)) : StepResult.Of(("discriminator", 0.7), ("generator", 0.7))));
        Assert.That(ex!.Message, Does.Contain("epoch 2, step 3").And.Contain("the generator loss is NaN"));
        Assert.That(loop.EpochsDone, Is.EqualTo(1), "the failed epoch is not counted");
        Assert.That(loop.History, Is.Empty);
    }

    [Test]
    public void AnyModel_LinearRegressionOnTheLoop_Converges()
    {
        // y = 2x − 1 on 64 points; a Linear(1 → 1) trained by Adam through the generic loop.
        var xs = Enumerable.Range(0, 64).Select(i => (float)(i / 32.0 - 1)).ToArray();
        var model = new Linear(1, 1, new Rng(3));
        var adam = new Adam(model.Parameters(), 0.05);
        var loop = new TrainingLoop(new LoopOptions(60, 16, Seed: 3));
        loop.Fit(xs.Length, (indices, _) =>
        {
            var x = Tensor.FromArray(indices.Select(i => xs[i]).ToArray(), [indices.Length, 1]);
            var y = Tensor.FromArray(indices.Select(i => 2 * xs[i] - 1).ToArray(), [indices.Length, 1]);
            adam.ZeroGrad();
            var loss = Losses.Mse(model.Forward(x), y);
            double value = loss.Item();
            loss.Backward();
            adam.Step();
            return StepResult.Of(("mse", value));
        });
        Assert.That(loop.History[^1].TrainLoss, Is.LessThan(1e-3).And.LessThan(loop.History[0].TrainLoss));
        Assert.That(model.Weight.Data.Item(), Is.EqualTo(2).Within(0.05));
    }

    [Test]
    public void BadOptions_NameTheValue()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new TrainingLoop(new LoopOptions(1, 4, 1)).RunEpoch(0, (_, _) => StepResult.Of(("loss", 1.0))))!.Message, Does.Contain("count 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TrainingLoop(new LoopOptions(1, 0, 1)))!.Message, Does.Contain("batch 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TrainingLoop(new LoopOptions(1, 4, 1, Patience: -1)))!.Message, Does.Contain("patience -1"));
    }

    [Test]
    public void Schedulers_AreSteppedBeforeEachStep_AtTheMiddleOfItsPlace()
    {
        var p = new Variable(Tensor.Zeros([1]), requiresGrad: true);
        var sgd = new Sgd([p], learningRate: 1.0);
        var loop = new TrainingLoop(new LoopOptions(2, 5, Seed: 1));
        loop.Schedulers.Add(new LinearWarmup(new ConstantLR(sgd), warmupEpochs: 2));
        var seen = new List<double>();
        loop.Fit(10, (_, _) => { seen.Add(sgd.LearningRate); return StepResult.Of(("loss", 1.0)); });
        // Two steps an epoch: at 0.25, 0.75, 1.25 and 1.75 epochs of a 2-epoch warm-up.
        Assert.That(seen, Is.EqualTo(new[] { 0.125, 0.375, 0.625, 0.875 }));
    }

    [Test]
    public void EarlyStopping_WatchesTheValidationLoss_NotTheTestLoss()
    {
        var loop = new TrainingLoop(new LoopOptions(10, 5, Seed: 1, Patience: 2));
        // Validation gets worse after epoch 1 while the test loss keeps improving: the loop stops after epoch 3.
        double[] validation = [1.0, 2.0, 3.0, 0.5], test = [4.0, 3.0, 2.0, 1.0];
        var results = loop.Fit(10, (_, _) => StepResult.Of(("loss", 1.0)),
            epoch => new EpochEvaluation(validation[epoch - 1], [], test[epoch - 1], []));
        Assert.That(results, Has.Count.EqualTo(3));
        Assert.That(loop.StoppedEarly, Is.True);
        Assert.That(loop.History.Select(h => h.ValidationLoss), Is.EqualTo(new[] { 1.0, 2.0, 3.0 }));
        Assert.That(loop.History.Select(h => h.TestLoss), Is.EqualTo(new[] { 4.0, 3.0, 2.0 }));
    }

    [Test]
    public void ANonFiniteTestLoss_StopsLikeANonFiniteTrainingLoss_BeforeTheEpochIsRecorded()
    {
        var loop = new TrainingLoop(new LoopOptions(3, 5, Seed: 1)) { EpochsDone = 1 };
        int epochsSeen = 0;
        loop.OnEpoch = _ => epochsSeen++;
        var e = Assert.Throws<TrainingDivergedException>(() => loop.Fit(10, (_, _) => StepResult.Of(("loss", 1.0)),
            epoch => new EpochEvaluation(double.NaN, [], double.PositiveInfinity, [])))!;
        Assert.That(e.Message, Does.Contain("epoch 2").And.Contain("test loss is ∞").Or.Contain("test loss is Infinity"));
        Assert.That((loop.EpochsDone, loop.History.Count, epochsSeen), Is.EqualTo((1, 0, 0)), "nothing recorded, no checkpoint hook called");
    }
}
