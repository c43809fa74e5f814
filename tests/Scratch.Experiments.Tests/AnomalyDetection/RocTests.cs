using Scratch.Experiments.AnomalyDetection;

namespace Scratch.Experiments.Tests.AnomalyDetection;

public class RocTests
{
    // Worked by hand. Pairs (anomaly, normal) where the anomaly scores higher: 0.9 beats all 4 normals;
    // 0.4 beats 0.1 and 0.35 and ties 0.4 (½); 0.7 beats 3. U = 4 + 2.5 + 3 = 9.5 of 12 pairs.
    private static readonly double[] Normal = [0.1, 0.4, 0.35, 0.8];
    private static readonly double[] Anomalous = [0.9, 0.4, 0.7];

    [Test]
    public void Auroc_OfAHandComputedCase_CountsATieAsOneHalf() =>
        Assert.That(Roc.Auroc(Normal, Anomalous), Is.EqualTo(9.5 / 12).Within(1e-15));

    [Test]
    public void Curve_OfTheHandComputedCase_HasOnePointPerDistinctScore()
    {
        // Thresholds 0.9 (A), 0.8 (N), 0.7 (A), 0.4 (A and N tied: one diagonal step), 0.35 (N), 0.1 (N).
        var expected = new (double Fpr, double Tpr, double Threshold)[]
        {
            (0, 0, double.PositiveInfinity), (0, 1.0 / 3, 0.9), (0.25, 1.0 / 3, 0.8), (0.25, 2.0 / 3, 0.7), (0.5, 1, 0.4), (0.75, 1, 0.35), (1, 1, 0.1),
        };
        var curve = Roc.Curve(Normal, Anomalous);
        Assert.That(curve, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(curve[i].FalsePositiveRate, Is.EqualTo(expected[i].Fpr).Within(1e-15), $"point {i}");
            Assert.That(curve[i].TruePositiveRate, Is.EqualTo(expected[i].Tpr).Within(1e-15), $"point {i}");
            Assert.That(curve[i].Threshold, Is.EqualTo(expected[i].Threshold), $"point {i}");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Auroc_EqualsTheRankSumFormulaAndThePairCount_WithManyTies(int seed)
    {
        // Scores rounded to one decimal: hundreds of ties within and across the two groups.
        var rng = new Random(seed);
        var normal = Enumerable.Range(0, 300).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
        var anomalous = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble() * 0.8 + 0.2, 1)).ToArray();
        double auroc = Roc.Auroc(normal, anomalous);
        Assert.That(auroc, Is.EqualTo(RankSum(normal, anomalous)).Within(1e-12));
        Assert.That(auroc, Is.EqualTo(PairCount(normal, anomalous)).Within(1e-12));
        Assert.That(auroc, Is.GreaterThan(0.55).And.LessThan(0.9), "the anomalies are shifted up, not separated");
    }

    [Test]
    public void Auroc_AtTheExtremes()
    {
        Assert.That(Roc.Auroc([1, 2, 3], [4, 5]), Is.EqualTo(1));
        Assert.That(Roc.Auroc([4, 5], [1, 2, 3]), Is.EqualTo(0));
        Assert.That(Roc.Auroc([7, 7, 7], [7, 7]), Is.EqualTo(0.5), "all tied: chance");
        Assert.That(Roc.Curve([7, 7, 7], [7, 7]), Has.Length.EqualTo(2), "one diagonal step from (0, 0) to (1, 1)");
    }

    [Test]
    public void Auroc_RefusesEmptyGroupsAndNaN()
    {
        Assert.That(() => Roc.Auroc([], [1.0]), Throws.ArgumentException.With.Message.Contains("0 normal"));
        Assert.That(() => Roc.Auroc([1.0], []), Throws.ArgumentException.With.Message.Contains("0 anomalous"));
        Assert.That(() => Roc.Auroc([1.0, double.NaN], [2.0]), Throws.ArgumentException.With.Message.Contains("NaN"));
    }

    [Test]
    public void Percentile_InterpolatesLinearlyLikeNumPy()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.That(Percentile.Of(values, 0), Is.EqualTo(1));
        Assert.That(Percentile.Of(values, 50), Is.EqualTo(3));
        Assert.That(Percentile.Of(values, 95), Is.EqualTo(4.8).Within(1e-12), "numpy.percentile([1,2,3,4,5], 95) = 4.8");
        Assert.That(Percentile.Of(values, 100), Is.EqualTo(5));
        Assert.That(Percentile.Of([10.0, 0, 5], 25), Is.EqualTo(2.5).Within(1e-12));
        Assert.That(() => Percentile.Of(values, 101), Throws.ArgumentException);
        Assert.That(() => Percentile.Of([], 50), Throws.ArgumentException);
    }

    // Mann–Whitney by ranks: rank all scores together (tied scores share their mean rank);
    // U = R_anomalous − m(m + 1)/2, AUROC = U / (m·n).
    private static double RankSum(double[] normal, double[] anomalous)
    {
        var all = normal.Select(s => (s, false)).Concat(anomalous.Select(s => (s, true))).OrderBy(t => t.s).ToArray();
        double rankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].s == all[i].s) j++;
            double meanRank = (i + 1 + j) / 2.0;   // ranks i+1 .. j
            for (int k = i; k < j; k++) if (all[k].Item2) rankSum += meanRank;
            i = j;
        }
        double m = anomalous.Length, n = normal.Length;
        return (rankSum - m * (m + 1) / 2) / (m * n);
    }

    // The definition: the fraction of (anomaly, normal) pairs ordered correctly, ties one half.
    private static double PairCount(double[] normal, double[] anomalous)
    {
        double wins = 0;
        foreach (var a in anomalous)
            foreach (var n in normal)
                wins += a > n ? 1 : a == n ? 0.5 : 0;
        return wins / (anomalous.Length * (double)normal.Length);
    }
}
