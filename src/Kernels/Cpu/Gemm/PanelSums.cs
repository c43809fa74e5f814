using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Sums over k of a freshly packed micro-panel, while it is still in L1: how the GEMM computes
/// the bias gradient Σ_batch dy as a by-product of packing dy for the weight gradient, instead of
/// a separate pass over dy in memory (<see cref="GemmOptions{T}.RowSumsOfA"/>).
/// </summary>
internal static unsafe class PanelSums
{
    // panel: (kc, width) packed; sums[j] += panel[p, j] for j < count, p = 0, 1, ..., kc − 1.
    // Each sum adds its k values one by one in k order, k blocks in order, starting from the 0 the
    // caller wrote: the order of a plain loop, so the result is bitwise ColumnSums' (vectors only
    // run across j, never across p).
    public static void Add<T>(T* panel, int kc, int width, int count, T* sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + Vector256<T>.Count <= count; j += Vector256<T>.Count)
            {
                var acc = Vector256.Load(sums + j);
                for (int p = 0; p < kc; p++) acc += Vector256.Load(panel + (long)p * width + j);
                acc.Store(sums + j);
            }
        for (; j + Vector128<T>.Count <= count; j += Vector128<T>.Count)
        {
            var acc = Vector128.Load(sums + j);
            for (int p = 0; p < kc; p++) acc += Vector128.Load(panel + (long)p * width + j);
            acc.Store(sums + j);
        }
        for (; j < count; j++)
        {
            T acc = sums[j];
            for (int p = 0; p < kc; p++) acc += panel[(long)p * width + j];
            sums[j] = acc;
        }
    }
}
