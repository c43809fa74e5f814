using Scratch.Experiments.Metrics;

namespace Scratch.Experiments.Tests.Metrics;

public class ManifoldMetricsTests
{
    private static FeatureSet Line(params double[] points) => new(points, points.Length, 1);

    [Test]
    public void OneDimensional_HandCase_WithAnOutlier()
    {
        // real 0, 1, 2, 3, 4: the 3rd nearest other point is at 3, 2, 2, 2, 3 (radii).
        // fake 7, 20, 21, 22, 23: radii 15 (the outlier 7 reaches 20, 21, 22), 3, 2, 2, 3.
        var real = Line(0, 1, 2, 3, 4);
        var fake = Line(7, 20, 21, 22, 23);
        Assert.That(ManifoldMetrics.KthNeighbourSquaredDistances(real, 3), Is.EqualTo(new double[] { 9, 4, 4, 4, 9 }));
        var s = ManifoldMetrics.Compute(real, fake, k: 3, densityK: 3);
        // precision: only 7 is in a real ball — real 4's, at exactly its radius 3 (≤ counts): 1/5.
        Assert.That(s.Precision, Is.EqualTo(0.2));
        // recall: the outlier's radius 15 covers every real point — the weakness density and coverage answer.
        Assert.That(s.Recall, Is.EqualTo(1.0));
        // density and coverage count strictly inside (<): 7 sits on the surface, so nothing counts.
        Assert.That(s.Density, Is.EqualTo(0.0));
        Assert.That(s.Coverage, Is.EqualTo(0.0));
        Assert.That((s.K, s.DensityK), Is.EqualTo((3, 3)));
    }

    [Test]
    public void OneDimensional_HandCase_InsideOneBall()
    {
        // fake 6 is at 2 from real 4 (radius 3): inside one real ball → density 1/(3·5), coverage 1/5.
        var s = ManifoldMetrics.Compute(Line(0, 1, 2, 3, 4), Line(6, 20, 21, 22, 23), k: 3, densityK: 3);
        Assert.That(s.Precision, Is.EqualTo(0.2));
        Assert.That(s.Density, Is.EqualTo(1.0 / 15).Within(1e-15));
        Assert.That(s.Coverage, Is.EqualTo(0.2));
    }

    [Test]
    public void IdenticalSets_PrecisionRecallCoverageOne()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 50 * 4).Select(_ => rng.NextDouble()).ToArray();
        var set = new FeatureSet(values, 50, 4);
        var s = ManifoldMetrics.Compute(set, set);
        Assert.That((s.Precision, s.Recall, s.Coverage), Is.EqualTo((1.0, 1.0, 1.0)));
        Assert.That(s.Density, Is.GreaterThanOrEqualTo(1.0 / 5), "each fake lies at least in its twin's ball");
    }

    [Test]
    public void TwoSamplesOfOneDistribution_DensityNearOne_CoverageAtNaeemsScale()
    {
        // Naeem et al. 2020: for real and fake drawn from one distribution, E[density] = 1 and
        // E[coverage] = 1 − (N−1)…(N−k)/((M+N−1)…(M+N−k)) → 1 − 2⁻ᵏ for M = N: 0.969 at their k = 5,
        // 0.875 at k = 3 (the scale the README's columns were on before).
        var rng = new Random(11);
        FeatureSet Gaussian(int n, int d) => new(Enumerable.Range(0, n * d).Select(_ =>
            Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray(), n, d);
        var real = Gaussian(1000, 16);
        var fake = Gaussian(1000, 16);
        double Expected(int k) => 1 - Enumerable.Range(1, k).Aggregate(1.0, (p, i) => p * (1000.0 - i) / (2000.0 - i));
        var at5 = ManifoldMetrics.Compute(real, fake);
        Assert.That((at5.K, at5.DensityK), Is.EqualTo((3, 5)), "each paper's own k by default");
        Assert.That(at5.Coverage, Is.EqualTo(Expected(5)).Within(0.015));
        Assert.That(at5.Density, Is.EqualTo(1.0).Within(0.1));
        var at3 = ManifoldMetrics.Compute(real, fake, k: 3, densityK: 3);
        Assert.That(at3.Coverage, Is.EqualTo(Expected(3)).Within(0.025));
        Assert.That(at5.Coverage - at3.Coverage, Is.GreaterThan(0.05), "k = 5 moves coverage onto the published scale");
    }

    [Test]
    public void DisjointSets_ScoreZero()
    {
        var s = ManifoldMetrics.Compute(Line(0, 1, 2, 3), Line(100, 101, 102, 103), k: 3, densityK: 3);
        Assert.That((s.Precision, s.Recall, s.Density, s.Coverage), Is.EqualTo((0.0, 0.0, 0.0, 0.0)));
    }

    [Test]
    public void ModeCollapse_KeepsPrecision_LosesRecall()
    {
        // Real: two clusters at 0 and 10. A generator that only makes the first cluster is precise but recalls half.
        var real = Line(0, 0.1, 0.2, 0.3, 10, 10.1, 10.2, 10.3);
        var collapsed = Line(0.05, 0.15, 0.25, 0.12, 0.22, 0.07);
        var s = ManifoldMetrics.Compute(real, collapsed);
        Assert.That(s.Precision, Is.EqualTo(1.0));
        Assert.That(s.Recall, Is.EqualTo(0.5));
    }

    [Test]
    public void BadInput_NamesTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => ManifoldMetrics.Compute(Line(0, 1, 2), Line(0, 1, 2, 3)));
        Assert.That(ex!.Message, Does.Contain("k = 3 and 5").And.Contain("real 3"));
    }
}
