using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class DataRngTests
{
    // Produced by a separate Python transcription of Vigna's splitmix64.c and
    // xoshiro256starstar.c (state = four SplitMix64 outputs of the seed). SplitMix64(0)'s first
    // output, 0xE220A8397B1DCDAF, is the widely published check value.
    [TestCase(0UL, 0x99EC5F36CB75F2B4UL, 0xBF6E1F784956452AUL, 0x1A5F849D4933E6E0UL, 0x6AA594F1262D2D2CUL)]
    [TestCase(42UL, 0x15780B2E0C2EC716UL, 0x6104D9866D113A7EUL, 0xAE17533239E499A1UL, 0xECB8AD4703B360A1UL)]
    public void NextUInt64_MatchesTheReferenceAlgorithm(ulong seed, ulong r0, ulong r1, ulong r2, ulong r3)
    {
        var rng = new DataRng(seed);
        Assert.That(new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() }, Is.EqualTo(new[] { r0, r1, r2, r3 }));
    }

    [Test]
    public void State_RoundTrips()
    {
        var rng = new DataRng(7);
        rng.NextUInt64();
        var copy = DataRng.FromState(rng.GetState());
        Assert.That(copy.NextUInt64(), Is.EqualTo(rng.NextUInt64()));
        Assert.Throws<ArgumentException>(() => DataRng.FromState(new ulong[4]));
    }

    [Test]
    public void ForStream_DifferentStreams_AreDifferent()
    {
        Assert.That(DataRng.ForStream(1, 0).NextUInt64(), Is.Not.EqualTo(DataRng.ForStream(1, 1).NextUInt64()));
        Assert.That(DataRng.ForStream(1, 0).NextUInt64(), Is.EqualTo(DataRng.ForStream(1, 0).NextUInt64()));
    }

    [Test]
    public void NextInt_StaysInRange_AndCoversIt()
    {
        var rng = new DataRng(3);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++)
            counts[rng.NextInt(7)]++;
        // Each bucket expects 10,000 with standard deviation ≈ 93; 600 is > 6σ.
        Assert.That(counts, Has.All.InRange(9_400, 10_600));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Test]
    public void NextDouble_IsInUnitInterval()
    {
        var rng = new DataRng(4);
        var values = Enumerable.Range(0, 10_000).Select(_ => rng.NextDouble()).ToArray();
        Assert.That(values, Has.All.GreaterThanOrEqualTo(0.0).And.LessThan(1.0));
        Assert.That(values.Average(), Is.EqualTo(0.5).Within(0.02));
    }

    [Test]
    public void NextGaussianPair_HasUnitMomentsAndUncorrelatedHalves()
    {
        var rng = new DataRng(5);
        const int n = 50_000;
        double sum = 0, sumSq = 0, cross = 0;
        for (int i = 0; i < n; i++)
        {
            var (a, b) = rng.NextGaussianPair();
            sum += a + b;
            sumSq += a * a + b * b;
            cross += a * b;
        }
        // Standard errors: mean 1/√(2n) ≈ 0.003, variance √(2/(2n)) ≈ 0.0045, cross 1/√n ≈ 0.0045.
        Assert.That(sum / (2 * n), Is.EqualTo(0).Within(0.02));
        Assert.That(sumSq / (2 * n), Is.EqualTo(1).Within(0.03));
        Assert.That(cross / n, Is.EqualTo(0).Within(0.03));
    }
}
