using Scratch.Experiments.Metrics;
using Scratch.Testing;

namespace Scratch.Experiments.Tests.GoldenFiles;

// FID, precision/recall and density/coverage against an independent implementation: numpy/scipy
// (pytorch-fid's sqrtm route, NVlabs' and prdc's k-NN rules), tests/golden/generation_metrics.json,
// written by tools/GenerationGolden/generation_metrics.py.
public class GenerationMetricsGoldenTests
{
    private static readonly Golden G = Golden.Load("generation_metrics.json");

    private static FeatureSet Set(string name)
    {
        var t = G.Tensor(name);
        return new FeatureSet(t.ToArray<double>(), t.Shape[0], t.Shape[1]);
    }

    [TestCase("smooth")]
    [TestCase("hash")]
    [TestCase("wide")]
    public void Fid_MatchesScipy(string set)
    {
        double fid = Fid.Compute(Set($"{set}.real"), Set($"{set}.fake"));
        // The nuclear-norm route takes no square root of an eigenvalue, so it is exact to rounding even
        // where a covariance is singular ('smooth': rank 2 in 5 dimensions; 'wide': 12 vectors in 8).
        Assert.That(fid, Is.EqualTo(G.Scalar($"{set}.fid_nuclear")).Within(1e-12));
        // pytorch-fid's sqrtm of the non-symmetric product, and the plain eigenvalues of Σ₁Σ₂, move by
        // about √ε there (5e-8 on 'smooth'), so they pin the value only to 1e-7.
        Assert.That(fid, Is.EqualTo(G.Scalar($"{set}.fid")).Within(1e-7));
        Assert.That(fid, Is.EqualTo(G.Scalar($"{set}.fid_eigen")).Within(1e-7));
    }

    [TestCase("smooth")]
    [TestCase("hash")]
    [TestCase("wide")]
    public void PrecisionRecallDensityCoverage_MatchNumpy(string set)
    {
        var s = ManifoldMetrics.Compute(Set($"{set}.real"), Set($"{set}.fake"), (int)G.Scalar("k"), (int)G.Scalar("density_k"));
        Assert.That(s.Precision, Is.EqualTo(G.Scalar($"{set}.precision")).Within(1e-15));
        Assert.That(s.Recall, Is.EqualTo(G.Scalar($"{set}.recall")).Within(1e-15));
        Assert.That(s.Density, Is.EqualTo(G.Scalar($"{set}.density")).Within(1e-15));
        Assert.That(s.Coverage, Is.EqualTo(G.Scalar($"{set}.coverage")).Within(1e-15));
    }
}
