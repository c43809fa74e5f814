namespace Scratch.Models.Optim;

/// <summary>
/// A learning-rate schedule in the manner of <c>torch.optim.lr_scheduler</c>: an object that owns
/// the schedule and sets its optimizer's <see cref="Optimizer.LearningRate"/>. Unlike torch's
/// per-epoch <c>scheduler.step()</c>, the training loop calls <see cref="Step"/> before every
/// optimizer step with the training done so far in epochs (fractional: 2.5 is half way through
/// the third), so a warm-up or a cosine moves smoothly within an epoch and a resumed run, which
/// knows only where it is, sets exactly the rate the uninterrupted one did.
/// </summary>
public abstract class LrScheduler
{
    /// <summary>A schedule of <paramref name="optimizer"/>'s rate, starting from the rate it has now.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose rate this sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The rate the schedule scales: the optimizer's when the scheduler was made.</summary>
    public double BaseLearningRate { get; }

    /// <summary>The rate after <paramref name="epochs"/> epochs of training.</summary>
    public abstract double LearningRateAt(double epochs);

    /// <summary>Sets the optimizer's rate for a step taken after <paramref name="epochs"/> epochs of training.</summary>
    public void Step(double epochs) => Optimizer.LearningRate = LearningRateAt(epochs);
}

/// <summary>The rate stays what it was (torch's <c>ConstantLR</c> with factor 1).</summary>
public sealed class ConstantLR(Optimizer optimizer) : LrScheduler(optimizer)
{
    /// <inheritdoc/>
    public override double LearningRateAt(double epochs) => BaseLearningRate;
}

/// <summary><c>torch.optim.lr_scheduler.StepLR</c>: the rate times γ every <see cref="StepSize"/> epochs.</summary>
public sealed class StepLR : LrScheduler
{
    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }
    /// <summary>The factor of each decay, in (0, 1].</summary>
    public double Gamma { get; }

    /// <summary>Decays <paramref name="optimizer"/>'s rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize < 1 || !(gamma is > 0 and <= 1))
            throw new ArgumentException($"StepLR: step size {stepSize} must be ≥ 1 and gamma {gamma} in (0, 1]");
        (StepSize, Gamma) = (stepSize, gamma);
    }

    /// <inheritdoc/>
    public override double LearningRateAt(double epochs) => BaseLearningRate * Math.Pow(Gamma, Math.Floor(epochs / StepSize));
}

/// <summary>
/// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c> (Loshchilov &amp; Hutter 2017) without restarts:
/// η = η_min + (η₀ − η_min)·½(1 + cos(π·t/T_max)), held at η_min after T_max epochs.
/// </summary>
public sealed class CosineAnnealingLR : LrScheduler
{
    /// <summary>Epochs over which the rate falls to <see cref="EtaMin"/>.</summary>
    public double TMax { get; }
    /// <summary>The rate at the end.</summary>
    public double EtaMin { get; }

    /// <summary>Anneals <paramref name="optimizer"/>'s rate to <paramref name="etaMin"/> over <paramref name="tMax"/> epochs.</summary>
    public CosineAnnealingLR(Optimizer optimizer, double tMax, double etaMin = 0) : base(optimizer)
    {
        if (!(tMax > 0) || !(etaMin >= 0))
            throw new ArgumentException($"CosineAnnealingLR: T_max {tMax} must be > 0 and eta_min {etaMin} ≥ 0");
        (TMax, EtaMin) = (tMax, etaMin);
    }

    /// <inheritdoc/>
    public override double LearningRateAt(double epochs) =>
        EtaMin + (BaseLearningRate - EtaMin) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, epochs / TMax)));
}

/// <summary>
/// A linear warm-up in front of another schedule (torch's <c>LinearLR</c> from 0 chained with it):
/// for the first <see cref="WarmupEpochs"/> the inner schedule's rate times epochs/warm-up, then the inner rate.
/// Large learning rates at the first steps, when Adam's moments are estimates of one or two gradients, are what it avoids.
/// </summary>
public sealed class LinearWarmup : LrScheduler
{
    /// <summary>The schedule after the warm-up.</summary>
    public LrScheduler Inner { get; }
    /// <summary>Epochs over which the rate rises from 0.</summary>
    public double WarmupEpochs { get; }

    /// <summary>Warms <paramref name="inner"/>'s optimizer up over <paramref name="warmupEpochs"/> epochs (&gt; 0).</summary>
    public LinearWarmup(LrScheduler inner, double warmupEpochs) : base(inner.Optimizer)
    {
        if (!(warmupEpochs > 0)) throw new ArgumentException($"LinearWarmup: warm-up of {warmupEpochs} epochs must be > 0");
        (Inner, WarmupEpochs) = (inner, warmupEpochs);
    }

    /// <inheritdoc/>
    public override double LearningRateAt(double epochs)
    {
        double lr = Inner.LearningRateAt(epochs);
        return epochs < WarmupEpochs ? lr * epochs / WarmupEpochs : lr;
    }
}
