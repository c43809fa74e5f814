using System.Numerics;

namespace Scratch.Kernels.Cpu;

public static partial class CpuKernels
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C; the contract of <see cref="Reference.Gemm{T}"/>.</summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Reference.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
