namespace Scratch.Models.Training;

/// <summary>The recipe of a training run. Same options, same seed, same thread count → same numbers.</summary>
public sealed record TrainOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 1e-3;
    public ulong Seed { get; init; } = 1;
    public Device Device { get; init; } = Device.Cpu;
    /// <summary>Use only the first N training images (0 = all): quick runs and tests.</summary>
    public int TrainLimit { get; init; }
    /// <summary>Use only the first N test images (0 = all).</summary>
    public int TestLimit { get; init; }

    public void Validate()
    {
        if (Epochs < 0 || BatchSize <= 0 || !(LearningRate > 0) || TrainLimit < 0 || TestLimit < 0)
            throw new ArgumentException($"training: invalid options (epochs {Epochs}, batch {BatchSize}, learning rate {LearningRate}, limits {TrainLimit}/{TestLimit})");
    }
}

/// <summary>The losses of one epoch, per sample, with their terms.</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    IReadOnlyList<(string Name, double Value)> TrainTerms,
    double TestLoss,
    IReadOnlyList<(string Name, double Value)> TestTerms,
    TimeSpan Duration,
    double SamplesPerSecond);

/// <summary>Where a running epoch is, for progress bars.</summary>
public readonly record struct StepProgress(int Epoch, int Step, int StepsPerEpoch, double RunningLoss, IReadOnlyList<(string Name, double Value)> Terms, double SamplesPerSecond);

/// <summary>Thrown when a loss becomes NaN or infinite; names the epoch and the step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
