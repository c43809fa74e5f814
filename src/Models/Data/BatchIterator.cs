namespace Scratch.Models.Data;

/// <summary>
/// Splits 0..count-1 into mini-batches of indices, in a fresh random order each epoch.
/// </summary>
/// <remarks>
/// Epoch e's order depends only on (seed, e) — see <see cref="Rng.ForStream"/> — not on
/// how many epochs ran before, so a run resumed from a checkpoint at epoch e sees the same
/// batches as one that never stopped.
/// </remarks>
public sealed class BatchIterator
{
    /// <summary>The number of examples, indexed 0..Count − 1.</summary>
    public int Count { get; }
    /// <summary>Indices per batch; the last batch may be smaller unless <see cref="DropLast"/>.</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch draws a fresh permutation (false: 0..Count − 1 in order every epoch).</summary>
    public bool Shuffle { get; }
    /// <summary>Drop the last batch when it is smaller than BatchSize (keeps batch statistics uniform).</summary>
    public bool DropLast { get; }
    /// <summary>The seed the per-epoch orders derive from.</summary>
    public ulong Seed { get; }

    /// <summary>Batches over <paramref name="count"/> examples, as torch's DataLoader(shuffle, drop_last) does over a sampler's indices.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="batchSize"/> not positive.</exception>
    public BatchIterator(int count, int batchSize, ulong seed, bool shuffle = true, bool dropLast = false)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "BatchIterator: count must be ≥ 0");
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "BatchIterator: batch size must be positive");
        Count = count;
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
        DropLast = dropLast;
    }

    /// <summary>⌈Count / BatchSize⌉, or ⌊Count / BatchSize⌋ with <see cref="DropLast"/>.</summary>
    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of epoch <paramref name="epoch"/>: each an int[] of indices into the dataset.</summary>
    public IEnumerable<int[]> Batches(int epoch)
    {
        if (epoch < 0)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "BatchIterator: epoch must be ≥ 0");
        var order = Shuffle ? Permutation(Count, Rng.ForStream(Seed, (ulong)epoch)) : Enumerable.Range(0, Count).ToArray();
        int batches = BatchesPerEpoch;
        for (int b = 0; b < batches; b++)
        {
            int start = b * BatchSize;
            yield return order.AsSpan(start, Math.Min(BatchSize, Count - start)).ToArray();
        }
    }

    /// <summary>A uniformly random permutation of 0..count-1 (Fisher–Yates, drawing from the top down).</summary>
    public static int[] Permutation(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
