using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using Scratch.Kernels.Cpu.Gemm;

namespace Scratch.Kernels.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C; the contract of <see cref="Reference.Gemm{T}"/>:
    /// row-major, op(A) is (m, k), op(B) is (k, n), C is (m, n); A is stored (m, k) with leading
    /// dimension lda, or (k, m) when transA; likewise B. beta = 0 overwrites C (NaN in C does
    /// not leak). C must not overlap A or B. Uses up to <see cref="CpuThreads.Count"/> threads;
    /// the result is bitwise the same for any thread count. float and double take the fast path;
    /// any other element type (Half, say) gets the reference loop, correct but slow.
    /// </summary>
    /// <remarks>
    /// How it is fast, file by file in Cpu/Gemm: the micro-kernels (MicroKernel512, MicroKernel256,
    /// MicroKernel128Wide on Arm64, MicroKernel128 on other x64: the widest vector the hardware
    /// runs natively), the narrow-N path (NarrowN), cache sizes (CacheSizes),
    /// packing (PackA, PackB), cache blocking (Blocking, GemmDriver), threads (GemmThreads).
    /// </remarks>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, new GemmOptions<T>());

    /// <summary>
    /// The same GEMM with the dense layer's work fused in (see <see cref="GemmOptions{T}"/>):
    /// C = act(alpha·op(A)·op(B) + beta·C + bias), and the sums of op(A)'s rows or op(B)'s columns
    /// over k. Bitwise equal to the GEMM followed by the separate passes.
    /// </summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, in GemmOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            GemmFallback.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options);
        else if (Vector512.IsHardwareAccelerated)
            Gemm<T, MicroKernel512<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options, narrowPath: true);
        else if (Vector256.IsHardwareAccelerated)
            Gemm<T, MicroKernel256<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options, narrowPath: true);
        else if (AdvSimd.Arm64.IsSupported)
            Gemm<T, MicroKernel128Wide<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options, narrowPath: true);
        else
            Gemm<T, MicroKernel128<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options, narrowPath: true);
    }

    /// <summary>
    /// Which micro-kernel
    /// <see cref="Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>
    /// runs for float on this machine, with its register tile, e.g. "Vector512, 12 x 32" — the same choice as Gemm's, so a benchmark or a CI run can
    /// print and check which path it measured (DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0
    /// switch to the narrower ones).
    /// </summary>
    public static string GemmMicroKernel =>
        Vector512.IsHardwareAccelerated ? MicroKernel512<float>.Name
        : Vector256.IsHardwareAccelerated ? MicroKernel256<float>.Name
        : AdvSimd.Arm64.IsSupported ? MicroKernel128Wide<float>.Name
        : MicroKernel128<float>.Name;

    // The same with a chosen micro-kernel: tests run the narrower kernels on an AVX-512 machine too.
    internal static void Gemm<T, TKernel>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T> =>
        Gemm<T, TKernel>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, new GemmOptions<T>(), narrowPath: true);

    // With the fusions, on a chosen micro-kernel, with or without the narrow-N path (tests).
    internal static void Gemm<T, TKernel>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, in GemmOptions<T> options, bool narrowPath)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T> =>
        GemmFused<T, TKernel>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options, narrowPath);

    // Without the narrow-N path, so tests hold the plain path to the reference on narrow shapes too.
    internal static void GemmAsStored<T, TKernel>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T> =>
        Gemm<T, TKernel>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, new GemmOptions<T>(), narrowPath: false);

    private static unsafe void GemmFused<T, TKernel>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, in GemmOptions<T> options, bool narrowPath)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        GemmArguments.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        GemmArguments.CheckOptions(m, n, options);
        // The sums accumulate onto zeros, k block after k block (PanelSums).
        options.RowSumsOfA.Clear();
        options.ColumnSumsOfB.Clear();
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            GemmFallback.ApplyEpilogue(m, n, c, ldc, options);
            return;
        }

        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        fixed (T* bias = options.ColumnBias)
        fixed (T* rowSums = options.RowSumsOfA)
        fixed (T* columnSums = options.ColumnSumsOfB)
        {
            var problem = new GemmProblem<T>
            {
                A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc,
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                // fixed gives null for an empty span: "no bias", "no sums".
                Bias = bias, Activation = options.Activation, Slope = options.NegativeSlope,
                RowSumsOfA = rowSums, ColumnSumsOfB = columnSums,
            };
            if (narrowPath && NarrowN.Pays(m, n, TKernel.MR, TKernel.NR))
                problem = NarrowN.Transpose(problem);
            GemmThreads.Run<T, TKernel>(problem, CpuThreads.Count);
        }
    }

    // k = 0: op(A)·op(B) is an (m, n) matrix of zeros, so C = beta·C (beta = 0 writes zeros).
    internal static void ScaleC<T>(int m, int n, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }
}
