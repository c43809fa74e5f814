using Scratch.Experiments.Metrics;

namespace Scratch.Experiments.Evaluation;

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
        var start = new double[p * block];
        rng.FillNormal<double>(start);
        var q = new double[p, block];
        for (int i = 0; i < p; i++) for (int j = 0; j < block; j++) q[i, j] = start[i * block + j];
        Orthonormalize(q);
        for (int it = 0; it < iterations; it++)
        {
            q = Multiply(matrix, q);
            Orthonormalize(q);
        }
        // Rayleigh–Ritz: eigenpairs of Qᵀ·A·Q (block × block, ascending); the Ritz vectors Q·v are A's.
        var (values, small) = SymmetricEigen.Decompose(Symmetric(ProjectedMatrix(matrix, q)), block);
        var order = Enumerable.Range(0, k).Select(c => block - 1 - c).ToArray();
        var vectors = new double[p, k];
        for (int c = 0; c < k; c++)
            for (int i = 0; i < p; i++)
            {
                double sum = 0;
                for (int m = 0; m < block; m++) sum += q[i, m] * small[m * block + order[c]];
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

    // Modified Gram–Schmidt on the columns, each projection pass done twice ("twice is enough",
    // Giraud et al. 2005). Once is not enough when the matrix has fewer non-zero eigenvalues than the
    // block has columns (images on a plane, say): after A·Q the extra columns are rounding noise lying
    // almost inside the span of the others, and one pass leaves them far from orthogonal to it — then
    // QᵀAQ is not A's projection and Rayleigh–Ritz returns wrong axes. The second pass makes them
    // orthogonal to machine precision (they are then any directions of A's null space, which is fine).
    private static void Orthonormalize(double[,] q)
    {
        int p = q.GetLength(0), b = q.GetLength(1);
        for (int j = 0; j < b; j++)
        {
            for (int pass = 0; pass < 2; pass++)
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

    /// <summary>All eigenvalues of a small symmetric matrix (cyclic Jacobi rotations, <see cref="SymmetricEigen"/>), ascending.</summary>
    public static double[] JacobiEigenvalues(double[,] symmetric) => SymmetricEigen.Decompose(Symmetric(symmetric), symmetric.GetLength(0)).Values;

    // (n, n) → row-major (n·n), averaged with its transpose: a product such as Qᵀ·A·Q is symmetric
    // only up to rounding, and the decomposition checks symmetry.
    private static double[] Symmetric(double[,] a)
    {
        int n = a.GetLength(0);
        var flat = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) flat[i * n + j] = (a[i, j] + a[j, i]) / 2;
        return flat;
    }
}
