using System.Numerics;
using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Tests;

/// <summary>The signature of CpuKernels.Gemm and Reference.Gemm, so tests can pass either.</summary>
public delegate void GemmFunction<T>(bool transA, bool transB, int m, int n, int k, T alpha,
    ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc);

/// <summary>
/// One GEMM test case: random A, B and C stored with leading dimensions `pad` wider than needed,
/// the padding filled with a sentinel that must survive. Runs a kernel and the reference on
/// copies of C and compares them element by element.
/// </summary>
public sealed class GemmCase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Sentinel = T.CreateChecked(12345.5);

    public required bool TransA { get; init; }
    public required bool TransB { get; init; }
    public required int M { get; init; }
    public required int N { get; init; }
    public required int K { get; init; }
    public required T[] A { get; init; }
    public required T[] B { get; init; }
    public required T[] C0 { get; init; }
    public required int Lda { get; init; }
    public required int Ldb { get; init; }
    public required int Ldc { get; init; }
    public T[] FastC { get; private set; } = [];

    public static GemmCase<T> Random(bool transA, bool transB, int m, int n, int k, int pad, int seed)
    {
        var rng = new Random(seed);
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        return new GemmCase<T>
        {
            TransA = transA, TransB = transB, M = m, N = n, K = k,
            Lda = aCols + pad, Ldb = bCols + pad, Ldc = n + pad,
            A = Matrix(rng, aRows, aCols, aCols + pad),
            B = Matrix(rng, bRows, bCols, bCols + pad),
            C0 = Matrix(rng, m, n, n + pad),
        };
    }

    // (rows, cols) in [-1, 1) with row stride ld; the ld - cols padding slots hold the sentinel.
    private static T[] Matrix(Random rng, int rows, int cols, int ld)
    {
        var x = new T[rows * ld];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < ld; j++)
                x[i * ld + j] = j < cols ? T.CreateChecked(rng.NextDouble() * 2 - 1) : Sentinel;
        return x;
    }

    public void FillC(T value)
    {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) C0[i * Ldc + j] = value;
    }

    public T[] Run(GemmFunction<T> gemm, T alpha, T beta)
    {
        var c = (T[])C0.Clone();
        gemm(TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, c, Ldc);
        return c;
    }

    /// <summary>
    /// |fast − reference| ≤ eps·√k·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) for every element: the
    /// error bound of a k-term sum, scaled by the size of what was summed (not of the result,
    /// which cancellation can make tiny). Padding of C must be untouched.
    /// </summary>
    public void AssertFastMatchesReference(GemmFunction<T> fast, T alpha, T beta, double eps)
    {
        FastC = Run(fast, alpha, beta);
        var expected = Run(Reference.Gemm, alpha, beta);
        var absA = Array.ConvertAll(A, T.Abs);
        var absB = Array.ConvertAll(B, T.Abs);
        var magnitude = new T[C0.Length];
        Reference.Gemm(TransA, TransB, M, N, K, T.One, absA, Lda, absB, Ldb, T.Zero, magnitude, Ldc);
        double sqrtK = Math.Sqrt(Math.Max(K, 1));
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                int at = i * Ldc + j;
                double scale = double.Abs(double.CreateChecked(alpha)) * double.CreateChecked(magnitude[at])
                    + (beta == T.Zero ? 0 : double.Abs(double.CreateChecked(beta * C0[at])));
                double tol = eps * sqrtK * scale + double.Epsilon;
                Assert.That(double.CreateChecked(FastC[at]), Is.EqualTo(double.CreateChecked(expected[at])).Within(tol),
                    $"C[{i}, {j}] of {Describe()}");
            }
        for (int i = 0; i < C0.Length; i++)
            if (i % Ldc >= N)
                Assert.That(FastC[i], Is.EqualTo(Sentinel), $"padding C[{i / Ldc}, {i % Ldc}] was written, {Describe()}");
    }

    public string Describe() =>
        $"gemm {(TransA ? "T" : "N")}{(TransB ? "T" : "N")} m={M} n={N} k={K} lda={Lda} ldb={Ldb} ldc={Ldc}";
}
