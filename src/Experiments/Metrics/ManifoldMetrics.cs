namespace Scratch.Experiments.Metrics;

/// <summary>Precision and recall (Kynkäänniemi et al. 2019) with k = <paramref name="K"/>, density and coverage (Naeem et al. 2020) with k = <paramref name="DensityK"/>.</summary>
public sealed record ManifoldScores(double Precision, double Recall, double Density, double Coverage, int K, int DensityK);

/// <summary>
/// Scores of a generator that see fidelity and diversity apart, from k-nearest-neighbour balls in
/// feature space. Each real vector r gets the radius ρ(r) = distance to its k-th nearest other
/// real vector; the union of those balls estimates the real manifold (likewise for fakes).
/// <list type="bullet">
/// <item>precision: the fraction of fakes inside the real manifold, ∃r: ‖f − r‖ ≤ ρ(r) — are the samples realistic?</item>
/// <item>recall: the fraction of reals inside the fake manifold — does the generator cover the data? (mode collapse lowers it)</item>
/// <item>density: (1/(k·M)) Σ_f #{r: ‖f − r‖ &lt; ρ(r)} — how many real balls hold each fake; ≈ 1 for equal distributions, can exceed 1.</item>
/// <item>coverage: the fraction of reals whose ball holds at least one fake, ‖f − r‖ &lt; ρ(r).</item>
/// </list>
/// Each pair with its own paper's k: precision and recall k = 3 (Kynkäänniemi et al.), density and
/// coverage k = 5 (Naeem et al. and their prdc code) — at k = 3 two samples of one distribution give
/// a coverage of about 1 − 2⁻³ = 0.875 instead of 1 − 2⁻⁵ ≈ 0.97, off the scale their tables use. Ties follow each paper's code: precision and recall count a point on
/// the ball's surface as inside (≤, NVlabs' ManifoldEstimator), density and coverage do not (&lt;,
/// clovaai's prdc). Distances are exact Euclidean distances in double (no ‖a‖² + ‖b‖² − 2ab
/// shortcut, which loses the small distances that decide membership).
/// </summary>
public static class ManifoldMetrics
{
    /// <summary>k of precision and recall: 3, Kynkäänniemi et al.'s.</summary>
    public const int DefaultK = 3;
    /// <summary>k of density and coverage: 5, Naeem et al.'s.</summary>
    public const int DefaultDensityK = 5;

    public static ManifoldScores Compute(FeatureSet real, FeatureSet fake, int k = DefaultK, int densityK = DefaultDensityK)
    {
        FeatureSet.CheckSameDim(real, fake, "ManifoldMetrics");
        int largest = Math.Max(k, densityK);
        if (k < 1 || densityK < 1 || largest >= real.Count || largest >= fake.Count)
            throw new ArgumentException($"ManifoldMetrics: k = {k} and {densityK} need more than k vectors in each set (real {real.Count}, fake {fake.Count})");
        var realRadii = KthNeighbourSquaredDistances(real, k);
        var densityRadii = densityK == k ? realRadii : KthNeighbourSquaredDistances(real, densityK);
        var fakeRadii = KthNeighbourSquaredDistances(fake, k);
        // cross[f, r] = ‖fake_f − real_r‖²: (M, N)
        var cross = SquaredDistances(fake, real);
        int m = fake.Count, n = real.Count;

        int precise = 0;
        long densityCount = 0;
        var covered = new bool[n];
        for (int f = 0; f < m; f++)
        {
            bool inside = false;
            for (int r = 0; r < n; r++)
            {
                double d = cross[(long)f * n + r];
                if (d <= realRadii[r]) inside = true;
                if (d < densityRadii[r])
                {
                    densityCount++;
                    covered[r] = true;
                }
            }
            if (inside) precise++;
        }

        int recalled = 0;
        for (int r = 0; r < n; r++)
        for (int f = 0; f < m; f++)
            if (cross[(long)f * n + r] <= fakeRadii[f])
            {
                recalled++;
                break;
            }

        return new ManifoldScores(
            Precision: (double)precise / m,
            Recall: (double)recalled / n,
            Density: (double)densityCount / ((double)densityK * m),
            Coverage: covered.Count(c => c) / (double)n,
            K: k,
            DensityK: densityK);
    }

    /// <summary>ρ(x)² for each x: the squared distance to its k-th nearest other vector of the same set.</summary>
    public static double[] KthNeighbourSquaredDistances(FeatureSet set, int k)
    {
        if (k < 1 || k >= set.Count)
            throw new ArgumentException($"ManifoldMetrics: k = {k} needs more than k vectors, the set has {set.Count}");
        var squared = SquaredDistances(set, set);
        int n = set.Count;
        var radii = new double[n];
        Parallel.For(0, n, i =>
        {
            // The row holds the vector's distance to itself (0) at i; leave it out, then take the k-th smallest.
            var others = new double[n - 1];
            for (int j = 0, o = 0; j < n; j++)
                if (j != i) others[o++] = squared[(long)i * n + j];
            Array.Sort(others);
            radii[i] = others[k - 1];
        });
        return radii;
    }

    // a: (M, D), b: (N, D) → (M, N) squared distances, rows split over threads (each row alone: deterministic).
    private static double[] SquaredDistances(FeatureSet a, FeatureSet b)
    {
        int m = a.Count, n = b.Count, d = a.Dim;
        var result = new double[(long)m * n];
        Parallel.For(0, m, i =>
        {
            var x = a.Row(i);
            for (int j = 0; j < n; j++)
            {
                var y = b.Row(j);
                double sum = 0;
                for (int c = 0; c < d; c++)
                {
                    double diff = x[c] - y[c];
                    sum += diff * diff;
                }
                result[(long)i * n + j] = sum;
            }
        });
        return result;
    }
}
