using System.Diagnostics;
using Scratch.Models.Data;

namespace Scratch.Models.Training;

/// <summary>Where a step is: the epoch (1-based), the step in the epoch (1-based), and the fraction of training done.</summary>
public readonly record struct StepInfo(int Epoch, int Step, int StepsPerEpoch, double EpochProgress);

/// <summary>
/// What one step reports: its loss per sample and the named terms behind it (a GAN reports
/// "discriminator" and "generator"). <see cref="Value"/> is what the non-finite stop and the
/// progress bar watch.
/// </summary>
public readonly record struct StepResult(double Value, IReadOnlyList<(string Name, double Value)> Terms)
{
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

/// <summary>The training side of one epoch, averaged per sample (weighted by batch size).</summary>
public sealed record LoopEpoch(int Epoch, double Loss, IReadOnlyList<(string Name, double Value)> Terms, int Steps, TimeSpan Duration, double SamplesPerSecond);

/// <summary>The loop's recipe: how many epochs, how big a batch, which seed orders the batches.</summary>
public sealed record LoopOptions(int Epochs, int BatchSize, ulong Seed, bool DropLast = false)
{
    public void Validate()
    {
        if (Epochs < 0 || BatchSize <= 0)
            throw new ArgumentException($"training loop: invalid options (epochs {Epochs}, batch {BatchSize})");
    }
}

/// <summary>
/// The training loop every model shares: epochs of seeded mini-batches, a step function per batch,
/// per-epoch history, the non-finite stop, progress and end-of-epoch hooks (where checkpoints are
/// written). What a step does — one optimizer step for an autoencoder, a discriminator and a
/// generator update for a GAN — is the caller's; the loop owns only the order and the bookkeeping.
/// </summary>
/// <remarks>
/// Epoch e's batch order depends only on (seed, e) (<see cref="BatchIterator"/>), so a run resumed
/// at epoch e sees the same batches as one that never stopped; any other randomness belongs to the
/// step function's own RNG, which its checkpoint saves.
/// </remarks>
public sealed class TrainingLoop
{
    /// <summary>One step on a batch of dataset indices. Must not update parameters when it reports a non-finite value.</summary>
    public delegate StepResult StepFunction(int[] indices, StepInfo info);

    public LoopOptions Options { get; }
    public int Count { get; }
    public int EpochsDone { get; set; }
    public List<LoopEpoch> History { get; } = [];

    /// <summary>Called after each step with the running means of the epoch.</summary>
    public Action<StepProgress>? OnStep { get; set; }

    /// <summary>Called after each epoch (e.g. to evaluate, or to write a checkpoint).</summary>
    public Action<LoopEpoch>? OnEpoch { get; set; }

    /// <summary>A loop over <paramref name="count"/> training examples.</summary>
    public TrainingLoop(int count, LoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (count <= 0)
            throw new ArgumentException($"training loop: there are no training examples (count {count})");
        Count = count;
        Options = options;
    }

    public BatchIterator Batches => new(Count, Options.BatchSize, Options.Seed, dropLast: Options.DropLast);

    /// <summary>Runs epochs until <see cref="LoopOptions.Epochs"/> are done; returns the new ones.</summary>
    public IReadOnlyList<LoopEpoch> Fit(StepFunction step)
    {
        var results = new List<LoopEpoch>();
        while (EpochsDone < Options.Epochs)
            results.Add(RunEpoch(step));
        return results;
    }

    /// <summary>
    /// One epoch. Throws <see cref="TrainingDivergedException"/> naming the epoch and the step when a
    /// step reports a non-finite loss; <see cref="EpochsDone"/> then stays where it was.
    /// </summary>
    public LoopEpoch RunEpoch(StepFunction step)
    {
        ArgumentNullException.ThrowIfNull(step);
        int epoch = EpochsDone + 1;
        var clock = Stopwatch.StartNew();
        var batches = Batches;
        var sums = new TermSums();
        int stepNumber = 0, seen = 0, steps = batches.BatchesPerEpoch;
        foreach (var indices in batches.Batches(epoch))
        {
            stepNumber++;
            var result = step(indices, new StepInfo(epoch, stepNumber, steps, EpochsDone + (double)(stepNumber - 1) / steps));
            if (result.FirstNonFinite() is { } what)
                throw new TrainingDivergedException(
                    $"training diverged at epoch {epoch}, step {stepNumber}: {what} ({Describe(result.Terms)}); try a lower learning rate");
            sums.Add(result.Value, result.Terms, indices.Length);
            seen += indices.Length;
            OnStep?.Invoke(new StepProgress(epoch, stepNumber, steps, sums.Mean, sums.Means, seen / clock.Elapsed.TotalSeconds));
        }
        EpochsDone = epoch;
        var done = new LoopEpoch(epoch, sums.Mean, sums.Means, stepNumber, clock.Elapsed, seen / clock.Elapsed.TotalSeconds);
        History.Add(done);
        OnEpoch?.Invoke(done);
        return done;
    }

    private static string Describe(IReadOnlyList<(string Name, double Value)> terms) =>
        string.Join(", ", terms.Select(t => $"{t.Name} {t.Value}"));
}

/// <summary>Per-sample averages weighted by batch size (the last batch may be smaller).</summary>
public sealed class TermSums
{
    private double _total;
    private readonly List<(string Name, double Sum)> _terms = [];
    private long _count;

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

    public double Mean => _count == 0 ? double.NaN : _total / _count;

    public IReadOnlyList<(string Name, double Value)> Means => _terms.Select(t => (t.Name, _count == 0 ? double.NaN : t.Sum / _count)).ToArray();
}
