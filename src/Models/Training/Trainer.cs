using System.Diagnostics;
using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;

namespace Scratch.Models.Training;

/// <summary>
/// Trains an autoencoder on <see cref="TrainingLoop"/>: the step is forward, backward, one
/// optimizer step; after each epoch, the test loss. Reproducible: the batch order comes from (seed, epoch)
/// and the model's noise from one engine RNG whose state a checkpoint can save and restore.
/// </summary>
public sealed class Trainer
{
    public Autoencoder Model { get; }
    public Optimizer Optimizer { get; }
    public TrainOptions Options { get; }

    /// <summary>The RNG of the model's own randomness (reparameterization, corruption) while training.</summary>
    public Rng Rng { get; }

    public int EpochsDone { get; set; }

    /// <summary>True when the last <c>Fit</c> stopped before its epoch count (early stopping).</summary>
    public bool StoppedEarly { get; private set; }

    // Early stopping, from the history alone (so a resumed run decides as the uninterrupted one):
    // stop once Patience epochs have passed since the best test loss.
    private bool ShouldStopEarly()
    {
        if (Options.Patience <= 0 || History.Count == 0) return false;
        int best = 0;
        for (int i = 1; i < History.Count; i++)
            if (History[i].TestLoss < History[best].TestLoss) best = i;
        return History.Count - 1 - best >= Options.Patience;
    }
    public List<EpochResult> History { get; } = [];

    public Trainer(Autoencoder model, Optimizer optimizer, TrainOptions options)
    {
        options.Validate();
        Model = model;
        Optimizer = optimizer;
        Options = options;
        // A stream apart from the initialisation's, so changing the model size does not shift the noise.
        Rng = new Rng(options.Seed ^ 0x5EED_0F_7A1AUL);
    }

    /// <summary>Trains until <see cref="TrainOptions.Epochs"/> are done; returns the new results.</summary>
    public IReadOnlyList<EpochResult> Fit(MnistDataset data, Action<StepProgress>? onStep = null, Action<EpochResult>? onEpoch = null) =>
        Fit(Batches.Take(data.Train, Options.TrainLimit), Batches.Take(data.Test, Options.TestLimit), onStep, onEpoch, data.Directory);

    /// <summary>Trains on <paramref name="train"/> as it is (no limit applied), testing on <paramref name="test"/> after each epoch;
    /// <paramref name="source"/> names the data in error messages.</summary>
    public IReadOnlyList<EpochResult> Fit(MnistSplit train, MnistSplit test, Action<StepProgress>? onStep = null,
        Action<EpochResult>? onEpoch = null, string source = "the data")
    {
        CheckFits(source, "training", train);
        CheckFits(source, "test", test);
        if (EpochsDone == 0 && Model.HasSaturatingCode) Model.StartAtMean(train.Images, train.Count);
        var results = new List<EpochResult>();
        while (EpochsDone < Options.Epochs && !ShouldStopEarly())
        {
            var result = RunEpoch(train, test, onStep);
            results.Add(result);
            onEpoch?.Invoke(result);
        }
        StoppedEarly = EpochsDone < Options.Epochs;
        return results;
    }

    // An empty split would average over nothing (NaN losses), and images of another size would
    // fail deep inside a matrix product: both are refused here, naming the data and the model.
    private void CheckFits(string source, string splitName, MnistSplit split)
    {
        if (split.Count == 0)
            throw new ArgumentException($"{source}: the {splitName} split holds no images; training needs at least one");
        ImageSizes.Check(Model.Config, split, source);
    }

    /// <summary>One epoch of <see cref="TrainingLoop"/> with this model's step, then the test loss.</summary>
    public EpochResult RunEpoch(MnistSplit train, MnistSplit test, Action<StepProgress>? onStep = null)
    {
        var clock = Stopwatch.StartNew();
        var context = new TrainingContext(Rng);
        var loop = new TrainingLoop(train.Count, new LoopOptions(Options.Epochs, Options.BatchSize, Options.Seed)) { EpochsDone = EpochsDone, OnStep = onStep };
        Model.Train();
        var done = loop.RunEpoch((indices, info) =>
        {
            context.EpochProgress = info.EpochProgress;
            var (value, terms) = Step(train, indices, context);
            return new StepResult(value, terms);
        });
        var (testLoss, testTerms) = Evaluate(test, done.Epoch);
        EpochsDone = done.Epoch;
        var result = new EpochResult(done.Epoch, done.Loss, done.Terms, testLoss, testTerms, clock.Elapsed, train.Count / clock.Elapsed.TotalSeconds);
        History.Add(result);
        return result;
    }

    // One optimizer step. Every tensor made inside — the batch, activations, the graph, intermediate
    // gradients — goes back to the pool at the end, so steps after the first allocate no buffers.
    // A non-finite loss is reported before backward so the parameters stay as they were.
    private (double Value, IReadOnlyList<(string Name, double Value)> Terms) Step(MnistSplit train, int[] indices, TrainingContext context)
    {
        using (TensorPool.Scope())
        {
            var x = Batches.Gather(train, indices, Model.Config.DType, Options.Device);
            Optimizer.ZeroGrad();
            var loss = Model.ComputeLoss(x, context);
            double value = loss.Value;
            if (!double.IsFinite(value)) return (value, loss.Terms);
            loss.Total.Backward();
            if (Options.ClipNorm > 0) Optimization.ClipGradNorm(Optimizer.Parameters, Options.ClipNorm);
            // The schedule at the middle of this step's place in training: a constant recipe leaves lr untouched.
            if (Options.Schedule != "constant" || Options.LrWarmup > 0)
                Optimization.SetLearningRate(Optimizer, Optimization.LearningRateAt(Options, context.EpochProgress + 0.5 / StepsPerEpoch(train)));
            Optimizer.Step();
            return (value, loss.Terms);
        }
    }

    private int StepsPerEpoch(MnistSplit train) => (train.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>The loss on a split, per sample, in eval mode, without a graph.</summary>
    public (double Loss, IReadOnlyList<(string Name, double Value)> Terms) Evaluate(MnistSplit split, int epoch)
    {
        Model.Eval();
        // Its own stream per epoch: evaluating never shifts the training RNG, so resume stays exact.
        var context = new TrainingContext(new Rng(Options.Seed * 7919 + (ulong)epoch)) { EpochProgress = epoch };
        var sums = new TermSums();
        using (NoGrad.Scope())
            foreach (var indices in new BatchIterator(split.Count, Math.Max(Options.BatchSize, 500), Options.Seed, shuffle: false).Batches(0))
                // A scope per batch: the batch's tensors go back to the pool, and on a GPU its device
                // buffers are reused at once instead of waiting for the garbage collector, which does not
                // see device memory filling up.
                using (TensorPool.IsActive ? null : TensorPool.Scope())
                {
                    var loss = Model.ComputeLoss(Batches.Gather(split, indices, Model.Config.DType, Options.Device), context);
                    sums.Add(loss.Value, loss.Terms, indices.Length);
                }
        Model.Train();
        return (sums.Mean, sums.Means);
    }
}
