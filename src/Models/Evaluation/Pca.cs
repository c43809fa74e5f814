namespace Scratch.Models.Evaluation;

/// <summary>
/// Principal component analysis from the data's covariance, the yardstick of the linear autoencoder:
/// the best rank-k reconstruction of centred data keeps the k largest eigenvalues of the covariance,
/// so its mean squared error per pixel is Σ_{i>k} λᵢ / P. The leading eigenvalues come from block
/// power (orthogonal) iteration with a Rayleigh–Ritz step, in double precision.
/// </summary>
public static class Pca
{
    /// <summary>
    /// Covariance (P, P) of the rows of data: (N, P), normalised by N (the population covariance),
    /// as one float64 GEMM: Xcᵀ·Xc / N with Xc the centred data.
    /// </summary>
    public static Tensor Covariance(float[] data, int count, int features)
    {
        var x = Tensor.FromArray(data[..(count * features)], count, features).To(DType.Float64);
        var centred = x - x.Mean(0);
        return Tensor.MatMul(centred, centred, transA: true) / count;
    }

    /// <summary>The k largest eigenvalues of a symmetric positive semi-definite matrix, descending.</summary>
    public static double[] TopEigenvalues(Tensor matrix, int k, int iterations = 500, ulong seed = 1) =>
        TopComponents(matrix, k, iterations, seed).Values;

    /// <summary>
    /// The k largest eigenvalues, descending, and their unit eigenvectors as the columns of
    /// Vectors: (P, k) — the principal axes when the matrix is a covariance.
    /// </summary>
    public static (double[] Values, double[,] Vectors) TopComponents(Tensor matrix, int k, int iterations = 500, ulong seed = 1)
    {
        if (matrix.Rank != 2 || matrix.Shape[0] != matrix.Shape[1] || matrix.DType != DType.Float64)
            throw new ArgumentException($"pca: needs a square float64 matrix, got {Shapes.Format(matrix.Shape)} {matrix.DType.Name()}");
        int p = matrix.Shape[0];
        if (k < 1 || k > p) throw new ArgumentException($"pca: k = {k} must be in 1..{p}");
        int block = Math.Min(p, k + 8);   // extra vectors speed up convergence of the k-th
        var rng = new Rng(seed);
        var q = new double[p, block];
        for (int i = 0; i < p; i++) for (int j = 0; j < block; j++) q[i, j] = rng.NextNormal();
        Orthonormalize(q);
        for (int it = 0; it < iterations; it++)
        {
            q = Multiply(matrix, q);
            Orthonormalize(q);
        }
        // Rayleigh–Ritz: eigenpairs of Qᵀ·A·Q (block × block) by Jacobi rotations; the Ritz vectors Q·v are A's.
        var (values, small) = Jacobi(ProjectedMatrix(matrix, q));
        var order = Enumerable.Range(0, block).OrderByDescending(i => values[i]).Take(k).ToArray();
        var vectors = new double[p, k];
        for (int c = 0; c < k; c++)
            for (int i = 0; i < p; i++)
            {
                double sum = 0;
                for (int m = 0; m < block; m++) sum += q[i, m] * small[m, order[c]];
                vectors[i, c] = sum;
            }
        return (order.Select(i => values[i]).ToArray(), vectors);
    }

    /// <summary>PCA's reconstruction error (MSE per pixel) with k components.</summary>
    public static double ReconstructionError(Tensor covariance, int k)
    {
        int p = covariance.Shape[0];
        var values = covariance.ToArray<double>();
        double trace = 0;
        for (int i = 0; i < p; i++) trace += values[i * p + i];
        return (trace - TopEigenvalues(covariance, k).Sum()) / p;
    }

    // a: (P, P) tensor, q: (P, b) → a·q (P, b), through the engine's float64 GEMM.
    private static double[,] Multiply(Tensor a, double[,] q)
    {
        int p = q.GetLength(0), b = q.GetLength(1);
        var flat = new double[p * b];
        System.Buffer.BlockCopy(q, 0, flat, 0, flat.Length * sizeof(double));
        var product = Tensor.MatMul(a, Tensor.FromArray(flat, p, b)).ToArray<double>();
        var result = new double[p, b];
        System.Buffer.BlockCopy(product, 0, result, 0, product.Length * sizeof(double));
        return result;
    }

    // Modified Gram–Schmidt on the columns.
    private static void Orthonormalize(double[,] q)
    {
        int p = q.GetLength(0), b = q.GetLength(1);
        for (int j = 0; j < b; j++)
        {
            for (int prev = 0; prev < j; prev++)
            {
                double dot = 0;
                for (int i = 0; i < p; i++) dot += q[i, j] * q[i, prev];
                for (int i = 0; i < p; i++) q[i, j] -= dot * q[i, prev];
            }
            double norm = 0;
            for (int i = 0; i < p; i++) norm += q[i, j] * q[i, j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < p; i++) q[i, j] = norm > 0 ? q[i, j] / norm : 0;
        }
    }

    private static double[,] ProjectedMatrix(Tensor a, double[,] q)
    {
        var aq = Multiply(a, q);
        int p = q.GetLength(0), b = q.GetLength(1);
        var s = new double[b, b];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < b; j++)
            {
                double sum = 0;
                for (int m = 0; m < p; m++) sum += q[m, i] * aq[m, j];
                s[i, j] = sum;
            }
        return s;
    }

    /// <summary>All eigenvalues of a small symmetric matrix by cyclic Jacobi rotations.</summary>
    public static double[] JacobiEigenvalues(double[,] symmetric) => Jacobi(symmetric).Values;

    /// <summary>
    /// Eigenvalues and eigenvectors (the columns of Vectors, same order) of a small symmetric
    /// matrix: each rotation that zeroes an off-diagonal entry is also applied to V, starting at I.
    /// </summary>
    public static (double[] Values, double[,] Vectors) Jacobi(double[,] symmetric)
    {
        int n = symmetric.GetLength(0);
        var a = (double[,])symmetric.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int r = p + 1; r < n; r++)
                {
                    if (Math.Abs(a[p, r]) < 1e-300) continue;
                    double theta = (a[r, r] - a[p, p]) / (2 * a[p, r]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    Rotate(a, p, r, c, s, columns: true);
                    Rotate(a, p, r, c, s, columns: false);
                    Rotate(v, p, r, c, s, columns: true);
                }
        }
        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }

    // Applies the plane rotation (c, s) to columns p and r (A·J), or to rows p and r (Jᵀ·A).
    private static void Rotate(double[,] a, int p, int r, double c, double s, bool columns)
    {
        int n = a.GetLength(0);
        for (int k = 0; k < n; k++)
        {
            if (columns)
            {
                double akp = a[k, p], akr = a[k, r];
                a[k, p] = c * akp - s * akr;
                a[k, r] = s * akp + c * akr;
            }
            else
            {
                double apk = a[p, k], ark = a[r, k];
                a[p, k] = c * apk - s * ark;
                a[r, k] = s * apk + c * ark;
            }
        }
    }
}
