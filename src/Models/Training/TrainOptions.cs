namespace Scratch.Models.Training;

/// <summary>The recipe of a training run. Same options, same seed, same thread count → same numbers.</summary>
public sealed record TrainOptions
{
    /// <summary>Passes over the training images (default 10; 0 trains nothing).</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Images per optimizer step (default 128); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>The optimizer's base rate (default 1e-3, must be &gt; 0); the schedule scales it.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Seeds the weights, the batch order, the validation split and any sampling noise.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Where the model and the batches live (default the CPU).</summary>
    public Device Device { get; init; } = Device.Cpu;
    /// <summary>Use only the first N training images (0 = all): quick runs and tests.</summary>
    public int TrainLimit { get; init; }
    /// <summary>Use only the first N test images (0 = all).</summary>
    public int TestLimit { get; init; }

    /// <summary>"adam" (torch.optim.Adam), "adamw" (decoupled weight decay) or "sgd".</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>SGD's momentum μ (0 = none).</summary>
    public double Momentum { get; init; }
    /// <summary>Weight decay: L2 for adam and sgd, decoupled for adamw.</summary>
    public double WeightDecay { get; init; }
    /// <summary>"constant", "step" (× <see cref="Gamma"/> every <see cref="StepSize"/> epochs) or "cosine" (to 0 at the last epoch).</summary>
    public string Schedule { get; init; } = "constant";
    /// <summary>The "step" schedule's period in epochs (default 10, ≥ 1).</summary>
    public int StepSize { get; init; } = 10;
    /// <summary>The "step" schedule's decay factor, in (0, 1] (default 0.1).</summary>
    public double Gamma { get; init; } = 0.1;
    /// <summary>Epochs over which the learning rate rises linearly from 0 before the schedule (0 = none).</summary>
    public double LrWarmup { get; init; }
    /// <summary>
    /// Early stopping: stop after this many epochs without a better validation loss (0 = never).
    /// The validation split is <see cref="ValidationFraction"/> of the training images, carved by
    /// the seed; the test split is never watched.
    /// </summary>
    public int Patience { get; init; }
    /// <summary>The share of the training images held out for validation when <see cref="Patience"/> is on.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Clip the gradients' global L2 norm to this (0 = no clipping), as torch.nn.utils.clip_grad_norm_.</summary>
    public double ClipNorm { get; init; }

    /// <summary>The accepted values of <see cref="Optimizer"/>.</summary>
    public static readonly string[] Optimizers = ["adam", "adamw", "sgd"];
    /// <summary>The accepted values of <see cref="Schedule"/>.</summary>
    public static readonly string[] Schedules = ["constant", "step", "cosine"];

    /// <summary>Checks every option's range and name before a run starts.</summary>
    /// <exception cref="ArgumentException">An option is out of range or names an unknown optimizer or schedule; the message lists the values.</exception>
    public void Validate()
    {
        if (Epochs < 0 || BatchSize <= 0 || !(LearningRate > 0) || TrainLimit < 0 || TestLimit < 0)
            throw new ArgumentException($"training: invalid options (epochs {Epochs}, batch {BatchSize}, learning rate {LearningRate}, limits {TrainLimit}/{TestLimit})");
        if (!Optimizers.Contains(Optimizer) || !Schedules.Contains(Schedule) || !(Momentum is >= 0 and < 1) || !(WeightDecay >= 0) || StepSize < 1
            || !(Gamma is > 0 and <= 1) || !(LrWarmup >= 0) || Patience < 0 || !(ClipNorm >= 0) || !(ValidationFraction is > 0 and < 1))
            throw new ArgumentException($"training: invalid optimization (optimizer {Optimizer}, momentum {Momentum}, weight decay {WeightDecay}, schedule {Schedule}, step {StepSize}, gamma {Gamma}, warm-up {LrWarmup}, patience {Patience}, validation {ValidationFraction}, clip {ClipNorm})");
    }
}

/// <summary>
/// One epoch of any run, the loop's history record: the training losses per sample with their
/// terms, and, for a family that evaluates, the test losses (NaN and no terms when it does not).
/// <see cref="Duration"/> includes the evaluation.
/// </summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    IReadOnlyList<(string Name, double Value)> TrainTerms,
    double TestLoss,
    IReadOnlyList<(string Name, double Value)> TestTerms,
    TimeSpan Duration,
    double SamplesPerSecond)
{
    /// <summary>Optimizer steps (batches) in the epoch; 0 when not recorded.</summary>
    public int Steps { get; init; }
    /// <summary>Of <see cref="Duration"/>, the time the steps waited for their batches (<see cref="TrainingLoop.DataClock"/>); not saved in checkpoints.</summary>
    public TimeSpan DataTime { get; init; }
    /// <summary>The loss on the validation split, which early stopping watches; NaN when there is none.</summary>
    public double ValidationLoss { get; init; } = double.NaN;
    /// <summary>The validation loss's terms; empty when there is none.</summary>
    public IReadOnlyList<(string Name, double Value)> ValidationTerms { get; init; } = [];
}

/// <summary>Where a running epoch is, for progress bars.</summary>
public readonly record struct StepProgress(int Epoch, int Step, int StepsPerEpoch, double RunningLoss, IReadOnlyList<(string Name, double Value)> Terms, double SamplesPerSecond);

/// <summary>Thrown when a loss becomes NaN or infinite; names the epoch and the step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
