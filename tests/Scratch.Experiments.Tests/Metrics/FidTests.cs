using Scratch.Experiments.Metrics;

namespace Scratch.Experiments.Tests.Metrics;

public class FidTests
{
    // n vectors of dim d with correlated coordinates (a random mixing of uniform noise).
    private static FeatureSet Correlated(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var mix = new double[d * d];
        for (int i = 0; i < mix.Length; i++) mix[i] = rng.NextDouble() - 0.5;
        var values = new double[n * d];
        var u = new double[d];
        for (int s = 0; s < n; s++)
        {
            for (int j = 0; j < d; j++) u[j] = rng.NextDouble();
            for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                values[s * d + i] += mix[i * d + j] * u[j];
        }
        return new FeatureSet(values, n, d);
    }

    private static FeatureSet Map(FeatureSet x, Func<int, double, double> f)
    {
        var values = new double[x.Count * x.Dim];
        for (int i = 0; i < x.Count; i++)
        for (int j = 0; j < x.Dim; j++)
            values[i * x.Dim + j] = f(j, x.Row(i)[j]);
        return new FeatureSet(values, x.Count, x.Dim);
    }

    [Test]
    public void IdenticalSets_AreAtDistanceZero()
    {
        var a = Correlated(200, 16, 1);
        double trace = Enumerable.Range(0, 16).Sum(j => GaussianFit.Of(a).Covariance[j * 16 + j]);
        Assert.That(Fid.Compute(a, a), Is.EqualTo(0).Within(1e-12 * trace));
    }

    [TestCase(1.0, 0.5)]
    [TestCase(2.0, 0.0)]
    [TestCase(0.3, -1.25)]
    public void ScaledAndShiftedCopy_GivesTheClosedForm(double scale, double shift)
    {
        // B = s·A + c (c added to coordinate j as c·(j+1)): μ_B = s·μ_A + c, Σ_B = s²·Σ_A, so Σ_A and Σ_B commute and
        // FID = ‖(1 − s)·μ_A − c‖² + tr(Σ_A) + s²·tr(Σ_A) − 2·s·tr(Σ_A) = ‖(1 − s)·μ_A − c‖² + (1 − s)²·tr(Σ_A).
        var a = Correlated(300, 12, 2);
        var b = Map(a, (j, v) => scale * v + shift * (j + 1));
        var fit = GaussianFit.Of(a);
        double meanTerm = 0, trace = 0;
        for (int j = 0; j < 12; j++)
        {
            double diff = (1 - scale) * fit.Mean[j] - shift * (j + 1);
            meanTerm += diff * diff;
            trace += fit.Covariance[j * 12 + j];
        }
        double expected = meanTerm + (1 - scale) * (1 - scale) * trace;
        Assert.That(Fid.Compute(a, b), Is.EqualTo(expected).Within(1e-10 * (1 + expected)));
        Assert.That(Fid.Compute(b, a), Is.EqualTo(expected).Within(1e-10 * (1 + expected)), "symmetric");
    }

    [Test]
    public void OneDimensionalGaussians_MeanAndStdDevGap()
    {
        // In 1-D the Fréchet distance of N(μ₁, σ₁²) and N(μ₂, σ₂²) is (μ₁ − μ₂)² + (σ₁ − σ₂)².
        var a = new GaussianFit(1, [0.5], [4.0]);
        var b = new GaussianFit(1, [-1.0], [0.25]);
        Assert.That(Fid.FromFits(a, b), Is.EqualTo(1.5 * 1.5 + 1.5 * 1.5).Within(1e-14));
    }

    [Test]
    public void DiagonalGaussians_ClosedForm()
    {
        // Diagonal covariances: FID = ‖μ₁ − μ₂‖² + Σⱼ (σ₁ⱼ − σ₂ⱼ)².
        var a = new GaussianFit(3, [0, 1, 2], [1, 0, 0, 0, 4, 0, 0, 0, 9]);
        var b = new GaussianFit(3, [1, 1, 0], [4, 0, 0, 0, 4, 0, 0, 0, 0.25]);
        double expected = (1 + 0 + 4) + (1 + 0 + 2.5 * 2.5);
        Assert.That(Fid.FromFits(a, b), Is.EqualTo(expected).Within(1e-13));
    }

    [Test]
    public void SingularCovariance_FewerVectorsThanDimensions_StaysFiniteAndNonNegative()
    {
        var a = Correlated(5, 20, 3);
        var b = Correlated(6, 20, 4);
        double fid = Fid.Compute(a, b);
        Assert.That(double.IsFinite(fid) && fid > 0, Is.True, $"FID {fid}");
        Assert.That(Fid.Compute(a, a), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void SymmetricSqrt_SquaresBack()
    {
        var fit = GaussianFit.Of(Correlated(100, 9, 5));
        var root = Fid.SymmetricSqrt(fit.Covariance, 9);
        for (int i = 0; i < 9; i++)
        for (int j = 0; j < 9; j++)
        {
            double sum = 0;
            for (int k = 0; k < 9; k++) sum += root[i * 9 + k] * root[k * 9 + j];
            Assert.That(sum, Is.EqualTo(fit.Covariance[i * 9 + j]).Within(1e-13));
        }
    }

    [Test]
    public void BadInput_NamesTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => Fid.Compute(Correlated(10, 3, 1), Correlated(10, 4, 1)));
        Assert.That(ex!.Message, Does.Contain("dimensions 3 and 4"));
        ex = Assert.Throws<ArgumentException>(() => GaussianFit.Of(new FeatureSet([1, 2], 1, 2)));
        Assert.That(ex!.Message, Does.Contain("at least 2 vectors"));
        ex = Assert.Throws<ArgumentException>(() => new FeatureSet([1, double.NaN], 1, 2));
        Assert.That(ex!.Message, Does.Contain("non-finite"));
    }
}
