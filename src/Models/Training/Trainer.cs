using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;

namespace Scratch.Models.Training;

/// <summary>
/// An autoencoder's part in <see cref="TrainingLoop"/>: its step (forward, backward, one optimizer
/// step) and its evaluation (the loss on the validation and test splits after each epoch). The loop
/// owns the epochs, the history, the learning-rate schedule and early stopping. Reproducible: the
/// batch order comes from (seed, epoch) and the model's noise from one engine RNG whose state a
/// checkpoint saves and restores.
/// </summary>
public sealed class Trainer
{
    /// <summary>The model being trained.</summary>
    public Autoencoder Model { get; }
    /// <summary>The optimizer over the model's parameters.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>The recipe.</summary>
    public TrainOptions Options { get; }
    /// <summary>The loop: epochs done, history, the learning-rate scheduler, early stopping.</summary>
    public TrainingLoop Loop { get; }

    /// <summary>The RNG of the model's own randomness (reparameterization, corruption) while training.</summary>
    public Rng Rng { get; }

    /// <summary>Epochs completed (the loop's).</summary>
    public int EpochsDone { get => Loop.EpochsDone; set => Loop.EpochsDone = value; }

    /// <summary>One record per completed epoch (the loop's).</summary>
    public List<EpochResult> History => Loop.History;

    /// <summary>True when the last <see cref="Fit(ImageDataset, Action{StepProgress}?, Action{EpochResult}?)"/> stopped before its epoch count (early stopping).</summary>
    public bool StoppedEarly => Loop.StoppedEarly;

    /// <summary>A trainer of <paramref name="model"/> with <paramref name="optimizer"/> and the scheduler the options name, if any.</summary>
    public Trainer(Autoencoder model, Optimizer optimizer, TrainOptions options)
    {
        options.Validate();
        Model = model;
        Optimizer = optimizer;
        Options = options;
        Loop = new TrainingLoop(new LoopOptions(options.Epochs, options.BatchSize, options.Seed, Patience: options.Patience));
        if (Optimization.HasSchedule(options)) Loop.Schedulers.Add(Optimization.CreateScheduler(options, optimizer));
        // A stream apart from the initialisation's, so changing the model size does not shift the noise.
        Rng = new Rng(options.Seed ^ 0x5EED_0F_7A1AUL);
    }

    /// <summary>Trains until <see cref="TrainOptions.Epochs"/> are done or patience runs out; returns the new results.</summary>
    public IReadOnlyList<EpochResult> Fit(ImageDataset data, Action<StepProgress>? onStep = null, Action<EpochResult>? onEpoch = null) =>
        Fit(data.Train.Take(Options.TrainLimit), data.Test.Take(Options.TestLimit), onStep, onEpoch, data.Source);

    /// <summary>
    /// Trains on <paramref name="train"/> as it is (no limit applied), testing on <paramref name="test"/> after each epoch;
    /// with early stopping on, a validation split is first carved out of <paramref name="train"/>
    /// (<see cref="ValidationSplit"/>). <paramref name="source"/> names the data in error messages.
    /// </summary>
    public IReadOnlyList<EpochResult> Fit(ImageSet train, ImageSet test, Action<StepProgress>? onStep = null,
        Action<EpochResult>? onEpoch = null, string source = "the data")
    {
        CheckFits(source, "training", train);
        CheckFits(source, "test", test);
        ImageSet? validation = null;
        if (Options.Patience > 0) (train, validation) = ValidationSplit.Carve(train, Options.ValidationFraction, Options.Seed);
        if (EpochsDone == 0 && Model.HasSaturatingCode) Model.StartAtMean(train.MeanImage());
        (Loop.OnStep, Loop.OnEpoch) = (onStep, onEpoch);
        return Loop.Fit(train.Count, StepOn(train), epoch => Evaluation(validation, test, epoch));
    }

    /// <summary>One epoch on <paramref name="train"/> (no validation split), then the test loss.</summary>
    public EpochResult RunEpoch(ImageSet train, ImageSet test, Action<StepProgress>? onStep = null)
    {
        Loop.OnStep = onStep;
        return Loop.RunEpoch(train.Count, StepOn(train), epoch => Evaluation(null, test, epoch));
    }

    // An empty split would average over nothing (NaN losses), and images of another size would
    // fail deep inside a matrix product: both are refused here, naming the data and the model.
    private void CheckFits(string source, string splitName, ImageSet split)
    {
        if (split.Count == 0)
            throw new ArgumentException($"{source}: the {splitName} split holds no images; training needs at least one");
        ImageSizes.Check(Model.Config, split, source);
    }

    private TrainingLoop.StepFunction StepOn(ImageSet train)
    {
        var context = new TrainingContext(Rng);
        var prefetcher = new BatchPrefetcher(train);
        Model.Train();
        return (indices, info) =>
        {
            context.EpochProgress = info.EpochProgress;
            Loop.DataClock.Start();
            var batch = prefetcher.Take(indices);
            prefetcher.Prefetch(info.Next);
            Loop.DataClock.Stop();
            try
            {
                return Step(batch, indices.Length, train.PixelsPerImage, context);
            }
            finally
            {
                BatchPrefetcher.Return(batch);
            }
        };
    }

    // One optimizer step. Every tensor made inside — the batch, activations, the graph, intermediate
    // gradients — goes back to the pool at the end, so steps after the first allocate no buffers.
    // A non-finite loss is reported before backward so the parameters stay as they were.
    private StepResult Step(float[] batch, int count, int pixels, TrainingContext context)
    {
        using (TensorPool.Scope())
        {
            Loop.DataClock.Start();
            var x = Batches.Gather(batch, count, pixels, Model.Config.DType, Options.Device);   // (B, P)
            Loop.DataClock.Stop();
            Optimizer.ZeroGrad();
            var loss = Model.ComputeLoss(x, context);
            double value = loss.Value;
            if (!double.IsFinite(value)) return new StepResult(value, loss.Terms);
            loss.Total.Backward();
            if (Options.ClipNorm > 0) Optimization.ClipGradNorm(Optimizer.Parameters, Options.ClipNorm);
            Optimizer.Step();
            return new StepResult(value, loss.Terms);
        }
    }

    private EpochEvaluation Evaluation(ImageSet? validation, ImageSet test, int epoch)
    {
        var (validationLoss, validationTerms) = validation is null
            ? (double.NaN, (IReadOnlyList<(string, double)>)[])
            : Evaluate(validation, epoch);
        var (testLoss, testTerms) = Evaluate(test, epoch);
        return new EpochEvaluation(validationLoss, validationTerms, testLoss, testTerms);
    }

    /// <summary>The loss on a split, per sample, in eval mode, without a graph (see <see cref="AutoencoderEvaluation"/>).</summary>
    public (double Loss, IReadOnlyList<(string Name, double Value)> Terms) Evaluate(ImageSet split, int epoch)
    {
        var result = AutoencoderEvaluation.Loss(Model, split, Options, epoch);
        Model.Train();
        return result;
    }
}
