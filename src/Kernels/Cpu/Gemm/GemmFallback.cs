using System.Numerics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The fused GEMM for element types without a fast path (Half, say) and for k = 0: the reference
/// product, then the epilogue and the sums as plain loops — correct, slow, and the same order of
/// operations as the fast path (so the same results where both run).
/// </summary>
internal static class GemmFallback
{
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, in GemmOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmArguments.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        GemmArguments.CheckOptions(m, n, options);
        Reference.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        ApplyEpilogue(m, n, c, ldc, options);
        // op(A)[i, p] is A[i·lda + p], or A[p·lda + i] when transposed; likewise B.
        for (int i = 0; i < options.RowSumsOfA.Length; i++)
        {
            T sum = T.Zero;
            for (int p = 0; p < k; p++) sum += transA ? a[p * lda + i] : a[i * lda + p];
            options.RowSumsOfA[i] = sum;
        }
        for (int j = 0; j < options.ColumnSumsOfB.Length; j++)
        {
            T sum = T.Zero;
            for (int p = 0; p < k; p++) sum += transB ? b[j * ldb + p] : b[p * ldb + j];
            options.ColumnSumsOfB[j] = sum;
        }
    }

    // c: (m, n) with row stride ldc; c[i, j] = act(c[i, j] + bias[j]).
    public static void ApplyEpilogue<T>(int m, int n, Span<T> c, int ldc, in GemmOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bias = options.ColumnBias;
        if (bias.IsEmpty && options.Activation == GemmActivation.Identity) return;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T v = c[i * ldc + j];
                if (!bias.IsEmpty) v += bias[j];
                c[i * ldc + j] = TileEpilogue<T>.Activate(v, options.Activation, options.NegativeSlope);
            }
    }
}
