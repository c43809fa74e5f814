using System.Diagnostics;
using Scratch.Models.Data;

namespace Scratch.Models.Training;

/// <summary>
/// Where a step is: the epoch (1-based), the step in the epoch (1-based), the fraction of training
/// done, and the indices of the batch that comes next in this epoch (null at its last step), so a
/// step can have that batch prepared while it computes (<see cref="BatchPrefetcher"/>).
/// </summary>
public readonly record struct StepInfo(int Epoch, int Step, int StepsPerEpoch, double EpochProgress, int[]? Next = null);

/// <summary>
/// What one step reports: its loss per sample and the named terms behind it (a GAN reports
/// "discriminator" and "generator"). <see cref="Value"/> is what the non-finite stop and the
/// progress bar watch.
/// </summary>
public readonly record struct StepResult(double Value, IReadOnlyList<(string Name, double Value)> Terms)
{
    /// <summary>A result whose <see cref="Value"/> is the sum of <paramref name="terms"/>, e.g. Of(("reconstruction", 90.1), ("kl", 12.3)).</summary>
    public static StepResult Of(params (string Name, double Value)[] terms) => new(terms.Sum(t => t.Value), terms);

    /// <summary>The first non-finite number, named ("the generator loss is NaN"), or null when all are finite.</summary>
    public string? FirstNonFinite()
    {
        // The first term first: in an alternating step, the one that failed (later ones were never computed).
        foreach (var (name, v) in Terms)
            if (!double.IsFinite(v)) return $"the {name} loss is {v}";
        return double.IsFinite(Value) ? null : $"the loss is {Value}";
    }
}

/// <summary>
/// The loop's recipe: how many epochs, how big a batch, which seed orders the batches, and early
/// stopping: stop once <see cref="Patience"/> epochs have passed without a better validation loss (0: never).
/// </summary>
public sealed record LoopOptions(int Epochs, int BatchSize, ulong Seed, bool DropLast = false, int Patience = 0)
{
    /// <summary>Refuses a negative epoch count or patience and a batch below 1.</summary>
    public void Validate()
    {
        if (Epochs < 0 || BatchSize <= 0 || Patience < 0)
            throw new ArgumentException($"training loop: invalid options (epochs {Epochs}, batch {BatchSize}, patience {Patience})");
    }
}

/// <summary>What a model family measures after an epoch: the loss on the validation split (watched by early stopping) and on the test split (reported only).</summary>
public sealed record EpochEvaluation(double ValidationLoss, IReadOnlyList<(string Name, double Value)> ValidationTerms,
    double TestLoss, IReadOnlyList<(string Name, double Value)> TestTerms);

/// <summary>
/// The one training loop every model shares, and the owner of a run's progress: epochs of seeded
/// mini-batches, a step function per batch, the learning-rate schedulers, the history, early
/// stopping, the non-finite stop, and progress and end-of-epoch hooks (where checkpoints are
/// written). A model family gives a step (one optimizer step for an autoencoder, a discriminator
/// and a generator update for a GAN) and, if it has one, an evaluation; nothing more.
/// </summary>
/// <remarks>
/// Epoch e's batch order depends only on (seed, e) (<see cref="BatchIterator"/>), and the schedulers
/// depend only on where training is, so a run resumed at epoch e, with its history, sees the same
/// batches, learning rates and stopping decisions as one that never stopped; any other randomness
/// belongs to the step function's own RNG, which its checkpoint saves.
/// </remarks>
public sealed class TrainingLoop
{
    /// <summary>One step on a batch of dataset indices. Must not update parameters when it reports a non-finite value.</summary>
    public delegate StepResult StepFunction(int[] indices, StepInfo info);

    /// <summary>The evaluation after epoch <paramref name="epoch"/>; it must not touch the training RNG.</summary>
    public delegate EpochEvaluation EvaluateFunction(int epoch);

    /// <summary>A loop with the given recipe, at epoch 0.</summary>
    public TrainingLoop(LoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The recipe.</summary>
    public LoopOptions Options { get; }

    /// <summary>Epochs completed; a restored run sets it with <see cref="History"/>.</summary>
    public int EpochsDone { get; set; }

    /// <summary>One record per completed epoch.</summary>
    public List<EpochResult> History { get; } = [];

    /// <summary>Schedulers stepped before every optimizer step with the training done so far.</summary>
    public List<Optim.LrScheduler> Schedulers { get; } = [];

    /// <summary>Called after each step with the running means of the epoch.</summary>
    public Action<StepProgress>? OnStep { get; set; }

    /// <summary>Called after each epoch (e.g. to write a checkpoint).</summary>
    public Action<EpochResult>? OnEpoch { get; set; }

    /// <summary>True when the last <see cref="Fit"/> stopped before its epoch count (early stopping).</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>
    /// The time this epoch's steps spent getting their batches (waiting for the prefetched floats and
    /// copying them into a tensor): step functions run it around their data loading, and the epoch's
    /// <see cref="EpochResult.DataTime"/> reports it, so "is loading the bottleneck?" has a number.
    /// </summary>
    public Stopwatch DataClock { get; } = new();

    /// <summary>
    /// Early stopping, from the history alone (so a resumed run decides as the uninterrupted one):
    /// true once <see cref="LoopOptions.Patience"/> epochs have passed since the best validation loss.
    /// </summary>
    public bool PatienceUsedUp()
    {
        if (Options.Patience <= 0 || History.Count == 0) return false;
        int best = 0;
        for (int i = 1; i < History.Count; i++)
            if (History[i].ValidationLoss < History[best].ValidationLoss) best = i;
        return History.Count - 1 - best >= Options.Patience;
    }

    /// <summary>The batches of an epoch over <paramref name="count"/> examples.</summary>
    public BatchIterator Batches(int count) => new(count, Options.BatchSize, Options.Seed, dropLast: Options.DropLast);

    /// <summary>Runs epochs over <paramref name="count"/> examples until the epoch count or early stopping; returns the new records.</summary>
    public IReadOnlyList<EpochResult> Fit(int count, StepFunction step, EvaluateFunction? evaluate = null)
    {
        var results = new List<EpochResult>();
        while (EpochsDone < Options.Epochs && !PatienceUsedUp())
            results.Add(RunEpoch(count, step, evaluate));
        StoppedEarly = EpochsDone < Options.Epochs;
        return results;
    }

    /// <summary>
    /// One epoch, then the evaluation if there is one. Throws <see cref="TrainingDivergedException"/>
    /// naming the epoch and the step when a step reports a non-finite loss; <see cref="EpochsDone"/>
    /// then stays where it was.
    /// </summary>
    public EpochResult RunEpoch(int count, StepFunction step, EvaluateFunction? evaluate = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (count <= 0)
            throw new ArgumentException($"training loop: there are no training examples (count {count})");
        int epoch = EpochsDone + 1;
        var clock = Stopwatch.StartNew();
        var batches = Batches(count);
        var sums = new TermSums();
        int stepNumber = 0, seen = 0, steps = batches.BatchesPerEpoch;
        var order = batches.Batches(epoch).ToList();   // index arrays only: the lookahead needs the next one
        DataClock.Reset();
        foreach (var indices in order)
        {
            stepNumber++;
            var info = new StepInfo(epoch, stepNumber, steps, EpochsDone + (double)(stepNumber - 1) / steps,
                stepNumber < order.Count ? order[stepNumber] : null);
            // The rate at the middle of this step's place in training.
            foreach (var scheduler in Schedulers) scheduler.Step(info.EpochProgress + 0.5 / steps);
            var result = step(indices, info);
            if (result.FirstNonFinite() is { } what)
                throw new TrainingDivergedException(
                    $"training diverged at epoch {epoch}, step {stepNumber}: {what} ({Describe(result.Terms)}); try a lower learning rate");
            sums.Add(result.Value, result.Terms, indices.Length);
            seen += indices.Length;
            OnStep?.Invoke(new StepProgress(epoch, stepNumber, steps, sums.Mean, sums.Means, seen / clock.Elapsed.TotalSeconds));
        }
        var evaluation = evaluate?.Invoke(epoch);
        // A finite training loss and a non-finite evaluation is divergence too (the last steps blew the
        // weights up): stopped before the epoch is recorded, so no checkpoint of it is written.
        if (evaluation is not null && NonFinite(evaluation) is { } which)
            throw new TrainingDivergedException(
                $"training diverged at epoch {epoch}: the {which} is {(which.StartsWith("test", StringComparison.Ordinal) ? evaluation.TestLoss : evaluation.ValidationLoss)} after the epoch's steps (training loss {sums.Mean}); try a lower learning rate");
        EpochsDone = epoch;
        var done = new EpochResult(epoch, sums.Mean, sums.Means, evaluation?.TestLoss ?? double.NaN, evaluation?.TestTerms ?? [],
            clock.Elapsed, seen / clock.Elapsed.TotalSeconds)
        {
            Steps = stepNumber,
            DataTime = DataClock.Elapsed,
            ValidationLoss = evaluation?.ValidationLoss ?? double.NaN,
            ValidationTerms = evaluation?.ValidationTerms ?? [],
        };
        History.Add(done);
        OnEpoch?.Invoke(done);
        return done;
    }

    // NaN validation loss means "no validation split"; a non-finite test loss is always divergence.
    private static string? NonFinite(EpochEvaluation e) =>
        !double.IsFinite(e.TestLoss) ? "test loss"
        : e.ValidationTerms.Count > 0 && !double.IsFinite(e.ValidationLoss) ? "validation loss"
        : null;

    private static string Describe(IReadOnlyList<(string Name, double Value)> terms) =>
        string.Join(", ", terms.Select(t => $"{t.Name} {t.Value}"));
}

/// <summary>Per-sample averages weighted by batch size (the last batch may be smaller).</summary>
internal sealed class TermSums
{
    private double _total;
    private readonly List<(string Name, double Sum)> _terms = [];
    private long _count;

    /// <summary>Adds a batch of <paramref name="batch"/> samples whose loss per sample was <paramref name="perSample"/>, with its terms.</summary>
    public void Add(double perSample, IReadOnlyList<(string Name, double Value)> terms, int batch)
    {
        _total += perSample * batch;
        for (int i = 0; i < terms.Count; i++)
        {
            if (i == _terms.Count) _terms.Add((terms[i].Name, 0));
            _terms[i] = (terms[i].Name, _terms[i].Sum + terms[i].Value * batch);
        }
        _count += batch;
    }

    /// <summary>The per-sample loss over everything added; NaN when nothing was.</summary>
    public double Mean => _count == 0 ? double.NaN : _total / _count;

    /// <summary>Each term's per-sample mean, in the order first added; NaN when nothing was.</summary>
    public IReadOnlyList<(string Name, double Value)> Means => _terms.Select(t => (t.Name, _count == 0 ? double.NaN : t.Sum / _count)).ToArray();
}
