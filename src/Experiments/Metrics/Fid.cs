namespace Scratch.Experiments.Metrics;

/// <summary>
/// The Fréchet Inception Distance (Heusel et al. 2017): the Fréchet (2-Wasserstein) distance
/// between the Gaussians fitted to two feature sets,
/// <code>
///   FID = ‖μ₁ − μ₂‖² + tr(Σ₁) + tr(Σ₂) − 2·tr((Σ₁^½ Σ₂ Σ₁^½)^½).
/// </code>
/// Lower is better; identical sets give 0. "Inception" names the feature network of the paper;
/// here the features come from the engine's own digit classifier, so values are comparable only
/// between runs that use the same feature network.
/// </summary>
/// <remarks>
/// The reference code computes sqrtm(Σ₁Σ₂) of a non-symmetric product with a general matrix
/// square root, which can return complex noise and needs an ε·I retry when Σ₁ is singular. Here
/// the trace term is written with symmetric matrices only: Σ₁^½ comes from Σ₁'s eigendecomposition
/// (eigenvalues at rounding level, negative ones included, set to 0), M = Σ₁^½ Σ₂ Σ₁^½ is symmetric positive
/// semi-definite, and tr(M^½) = Σₖ √λₖ(M). M has the same eigenvalues as Σ₁Σ₂, so the value is the
/// same; every step is an orthogonal decomposition, so it is stable for singular covariances too
/// (ReLU features that are always 0, fewer samples than dimensions).
/// </remarks>
public static class Fid
{
    // 2⁻⁵², the gap between 1 and the next double (numpy's finfo(float64).eps).
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static double Compute(FeatureSet a, FeatureSet b)
    {
        FeatureSet.CheckSameDim(a, b, "Fid");
        return FromFits(GaussianFit.Of(a), GaussianFit.Of(b));
    }

    public static double FromFits(GaussianFit a, GaussianFit b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dim != b.Dim)
            throw new ArgumentException($"Fid: the Gaussians have dimensions {a.Dim} and {b.Dim}");
        int d = a.Dim;
        double meanTerm = 0;
        for (int j = 0; j < d; j++)
        {
            double diff = a.Mean[j] - b.Mean[j];
            meanTerm += diff * diff;
        }
        double traces = 0;
        for (int j = 0; j < d; j++) traces += a.Covariance[j * d + j] + b.Covariance[j * d + j];
        return meanTerm + traces - 2 * TraceSqrtProduct(a.Covariance, b.Covariance, d);
    }

    /// <summary>tr((Σ₁^½ Σ₂ Σ₁^½)^½) for symmetric positive semi-definite Σ₁, Σ₂: (d, d) each.</summary>
    public static double TraceSqrtProduct(double[] sigma1, double[] sigma2, int d)
    {
        var root = SymmetricSqrt(sigma1, d);
        var m = Multiply(Multiply(root, sigma2, d), root, d);
        // M is symmetric in exact arithmetic; average it with its transpose so rounding does not break that.
        for (int i = 0; i < d; i++)
        for (int j = 0; j < i; j++)
        {
            double s = 0.5 * (m[i * d + j] + m[j * d + i]);
            m[i * d + j] = s;
            m[j * d + i] = s;
        }
        var (values, _) = SymmetricEigen.Decompose(m, d);
        double cutoff = RankCutoff(values, d), trace = 0;
        foreach (var lambda in values)
            if (lambda > cutoff) trace += Math.Sqrt(lambda);
        return trace;
    }

    /// <summary>The symmetric square root S^½ = V·diag(√max(λ, 0))·Vᵀ of a symmetric PSD matrix.</summary>
    public static double[] SymmetricSqrt(double[] s, int d)
    {
        var (values, vectors) = SymmetricEigen.Decompose(s, d);
        double cutoff = RankCutoff(values, d);
        var root = new double[d * d];
        for (int k = 0; k < d; k++)
        {
            if (values[k] <= cutoff) continue;
            double r = Math.Sqrt(values[k]);
            for (int i = 0; i < d; i++)
            {
                double vik = vectors[i * d + k] * r;
                for (int j = 0; j < d; j++) root[i * d + j] += vik * vectors[j * d + k];
            }
        }
        return root;
    }

    // Eigenvalues this small are zero plus rounding (a singular covariance: fewer vectors than
    // dimensions, or features that never vary). Their square roots would turn 1e-17 noise into
    // 3e-9 — √ is not Lipschitz at 0 — so they count as exact zeros, the rank decision numpy's
    // matrix_rank makes with the same tolerance (d·ε·λmax).
    private static double RankCutoff(double[] values, int d)
    {
        double largest = 0;
        foreach (var v in values) largest = Math.Max(largest, Math.Abs(v));
        return d * MachineEpsilon * largest;
    }

    // (d, d)·(d, d) → (d, d), i-k-j order so the inner loop runs along rows.
    private static double[] Multiply(double[] x, double[] y, int d)
    {
        var result = new double[d * d];
        for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++)
        {
            double xik = x[i * d + k];
            for (int j = 0; j < d; j++) result[i * d + j] += xik * y[k * d + j];
        }
        return result;
    }
}
