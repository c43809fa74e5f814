using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

public sealed partial class GpuDevice
{
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>? _gemm;

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C, row-major, the contract of CpuKernels.Gemm.
    /// op(A) is (m, k): A is stored (m, k) with leading dimension lda, or (k, m) when transA;
    /// op(B) is (k, n): B is stored (k, n), or (n, k) when transB; C is (m, n) with ldc.
    /// beta = 0 overwrites C. Views may start anywhere inside a buffer (tensor offsets).
    /// </summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GpuDevice.Gemm: negative size m={m}, n={n}, k={k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckLeading(aCols, lda, "lda", "A");
        CheckLeading(bCols, ldb, "ldb", "B");
        CheckLeading(n, ldc, "ldc", "C");
        CheckAtLeast("Gemm", Needed(aRows, aCols, lda), a.Length, $"A ({aRows}, {aCols}) with lda={lda}");
        CheckAtLeast("Gemm", Needed(bRows, bCols, ldb), b.Length, $"B ({bRows}, {bCols}) with ldb={ldb}");
        CheckAtLeast("Gemm", Needed(m, n, ldc), c.Length, $"C ({m}, {n}) with ldc={ldc}");
        if (m == 0 || n == 0) return;

        _gemm ??= Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>(GemmKernels.Gemm);
        var arguments = new GemmArguments
        {
            M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc,
            TransA = transA ? 1 : 0, TransB = transB ? 1 : 0, Alpha = alpha, Beta = beta,
        };
        var grid = new Index2D((n + GemmKernels.BlockN - 1) / GemmKernels.BlockN, (m + GemmKernels.BlockM - 1) / GemmKernels.BlockM);
        var group = new Index2D(GemmKernels.ThreadsX, GemmKernels.ThreadsY);
        // K = 0 leaves A and B unread; ILGPU still wants valid (possibly empty) views.
        _gemm(new KernelConfig(grid, group), a, b, c, arguments);

        static long Needed(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

        static void CheckLeading(int cols, int ld, string name, string matrix)
        {
            if (ld < Math.Max(1, cols))
                throw new ArgumentException($"GpuDevice.Gemm: {name}={ld} is smaller than the {cols} columns {matrix} has as stored.");
        }
    }
}
