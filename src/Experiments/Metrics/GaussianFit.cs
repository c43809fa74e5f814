namespace Scratch.Experiments.Metrics;

/// <summary>
/// The Gaussian fitted to a feature set: mean μ (Dim) and covariance Σ (Dim, Dim), the unbiased
/// estimate (divided by N − 1, as numpy.cov and the reference FID code use).
/// </summary>
public sealed record GaussianFit(int Dim, double[] Mean, double[] Covariance)
{
    public static GaussianFit Of(FeatureSet features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count < 2)
            throw new ArgumentException($"GaussianFit: a covariance needs at least 2 vectors, got {features.Count}");
        int n = features.Count, d = features.Dim;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = features.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;

        // Two passes (mean first, then centred products): E[x²] − E[x]² would cancel catastrophically.
        var cov = new double[d * d];
        var centred = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = features.Row(i);
            for (int j = 0; j < d; j++) centred[j] = row[j] - mean[j];
            for (int a = 0; a < d; a++)
            {
                double ca = centred[a];
                for (int b = a; b < d; b++) cov[a * d + b] += ca * centred[b];
            }
        }
        for (int a = 0; a < d; a++)
        for (int b = a; b < d; b++)
        {
            cov[a * d + b] /= n - 1;
            cov[b * d + a] = cov[a * d + b];
        }
        return new GaussianFit(d, mean, cov);
    }
}
