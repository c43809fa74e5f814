namespace Scratch.Experiments.Metrics;

/// <summary>
/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method
/// (Golub and Van Loan, Matrix Computations, §8.5): each rotation zeroes one off-diagonal pair;
/// sweeping over all pairs shrinks the off-diagonal norm quadratically once it is small.
/// </summary>
/// <remarks>
/// Why Jacobi, written here, rather than a library: FID needs the eigenvalues of covariance
/// matrices of at most a few hundred rows, once per evaluation, so speed does not matter, and
/// Jacobi is the method whose accuracy is easiest to see: it works on the symmetric matrix
/// itself (no reduction to tridiagonal form), every step is an exact orthogonal rotation, and it
/// computes small eigenvalues to high relative accuracy (Demmel and Veselić 1992) — which is
/// what a nearly singular covariance needs. Thirty lines, no dependency, readable next to the
/// textbook; MathNet.Numerics would do it too, at the price of a package for one function.
/// </remarks>
public static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>
    /// a: (n, n) symmetric, row-major → eigenvalues (n), ascending, and eigenvectors (n, n) with
    /// vector k in column k, so that a = V·diag(λ)·Vᵀ. <paramref name="a"/> is not modified.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> a, int n)
    {
        if (n <= 0 || a.Length != n * n)
            throw new ArgumentException($"SymmetricEigen: {a.Length} values are not a {n}×{n} matrix");
        for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
        {
            double x = a[i * n + j], y = a[j * n + i];
            if (!double.IsFinite(x) || !double.IsFinite(y))
                throw new ArgumentException($"SymmetricEigen: entry ({i}, {j}) is not finite");
            if (Math.Abs(x - y) > 1e-12 * (Math.Abs(x) + Math.Abs(y)) + 1e-300)
                throw new ArgumentException($"SymmetricEigen: the matrix is not symmetric at ({i}, {j}): {x} vs {y}");
        }

        var m = a.ToArray();
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;

        double norm = 0;
        foreach (var x in m) norm += x * x;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
                off += m[p * n + q] * m[p * n + q];
            // Converged: what is left off the diagonal is below rounding of the matrix's size.
            if (off <= 1e-30 * norm || off == 0) return Sorted(m, v, n);
            for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
                Rotate(m, v, n, p, q);
        }
        throw new InvalidOperationException($"SymmetricEigen: no convergence after {MaxSweeps} sweeps of a {n}×{n} matrix");
    }

    // One Jacobi rotation J(p, q, θ) with mᵀ ← Jᵀ·m·J zeroing m[p, q]; v ← v·J accumulates the vectors.
    private static void Rotate(double[] m, double[] v, int n, int p, int q)
    {
        double apq = m[p * n + q];
        if (apq == 0) return;
        double app = m[p * n + p], aqq = m[q * n + q];
        // τ = cot 2θ; t = tan θ is the smaller root of t² + 2τt − 1 = 0 (the rotation by less than
        // π/4, which keeps the sweep convergent). For huge τ, 1/(2τ) avoids τ² overflowing.
        double tau = (aqq - app) / (2 * apq);
        double t = Math.Abs(tau) > 1e150
            ? 1 / (2 * tau)
            : (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;

        // m ← m·J: columns p and q mix.
        for (int k = 0; k < n; k++)
        {
            double kp = m[k * n + p], kq = m[k * n + q];
            m[k * n + p] = c * kp - s * kq;
            m[k * n + q] = s * kp + c * kq;
        }
        // m ← Jᵀ·m: rows p and q mix.
        for (int k = 0; k < n; k++)
        {
            double pk = m[p * n + k], qk = m[q * n + k];
            m[p * n + k] = c * pk - s * qk;
            m[q * n + k] = s * pk + c * qk;
        }
        // The pair is zero in exact arithmetic; store the exact zero so rounding does not linger.
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (int k = 0; k < n; k++)
        {
            double kp = v[k * n + p], kq = v[k * n + q];
            v[k * n + p] = c * kp - s * kq;
            v[k * n + q] = s * kp + c * kq;
        }
    }

    private static (double[] Values, double[] Vectors) Sorted(double[] m, double[] v, int n)
    {
        var order = Enumerable.Range(0, n).OrderBy(i => m[i * n + i]).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (int k = 0; k < n; k++)
        {
            values[k] = m[order[k] * n + order[k]];
            for (int i = 0; i < n; i++) vectors[i * n + k] = v[i * n + order[k]];
        }
        return (values, vectors);
    }
}
