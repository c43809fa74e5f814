using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class BatchIteratorTests
{
    [Test]
    public void Batches_CoverEveryIndexOnce_WithPartialLastBatch()
    {
        var it = new BatchIterator(count: 10, batchSize: 4, seed: 1);
        var batches = it.Batches(0).ToList();
        Assert.That(batches.Select(b => b.Length), Is.EqualTo(new[] { 4, 4, 2 }));
        Assert.That(it.BatchesPerEpoch, Is.EqualTo(3));
        Assert.That(batches.SelectMany(b => b).Order(), Is.EqualTo(Enumerable.Range(0, 10)));
    }

    [Test]
    public void Batches_DropLast_DropsThePartialBatch()
    {
        var it = new BatchIterator(10, 4, seed: 1, dropLast: true);
        var batches = it.Batches(0).ToList();
        Assert.That(batches.Select(b => b.Length), Is.EqualTo(new[] { 4, 4 }));
        Assert.That(it.BatchesPerEpoch, Is.EqualTo(2));
        Assert.That(batches.SelectMany(b => b).Distinct().Count(), Is.EqualTo(8));
    }

    [Test]
    public void Batches_SameSeedAndEpoch_SameOrder_OtherEpoch_OtherOrder()
    {
        var a = new BatchIterator(1000, 128, seed: 9).Batches(3).SelectMany(b => b).ToArray();
        var b = new BatchIterator(1000, 128, seed: 9).Batches(3).SelectMany(b => b).ToArray();
        var c = new BatchIterator(1000, 128, seed: 9).Batches(4).SelectMany(b => b).ToArray();
        var d = new BatchIterator(1000, 128, seed: 10).Batches(3).SelectMany(b => b).ToArray();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
        Assert.That(a, Is.Not.EqualTo(d));
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 1000)), "shuffled");
    }

    [Test]
    public void Batches_NoShuffle_IsInOrder()
    {
        var all = new BatchIterator(7, 3, seed: 0, shuffle: false).Batches(5).SelectMany(b => b);
        Assert.That(all, Is.EqualTo(Enumerable.Range(0, 7)));
    }

    [Test]
    public void Permutation_IsUniformOverSmallSets()
    {
        // All 6 orders of 3 items should appear about equally often (Fisher–Yates without bias).
        var rng = new Rng(11);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 60_000; i++)
        {
            var key = string.Join(",", BatchIterator.Permutation(3, rng));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.That(counts, Has.Count.EqualTo(6));
        Assert.That(counts.Values, Has.All.InRange(9_400, 10_600));
    }

    [Test]
    public void Constructor_RejectsBadSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchIterator(10, 0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchIterator(-1, 4, seed: 1));
        Assert.That(new BatchIterator(0, 4, seed: 1).Batches(0), Is.Empty);
    }
}
