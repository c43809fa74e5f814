using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Copies a block of op(A) into the order the micro-kernel reads it: micro-panels of MR rows,
/// and inside each, column p of those rows stored together (MR values per k step, read as
/// broadcasts). A transposed A is absorbed here: only the reading order changes, no
/// transposed matrix is ever built.
/// </summary>
internal static unsafe class PackA
{
    // op(A)[i0 .. i0+mc, p0 .. p0+kc) → dst: ceil(mc/MR) panels, each (kc, MR); rows past mc are
    // zeros, so the micro-kernel always runs a full tile and edge rows add nothing. When rowSums
    // is not null, rowSums[r] += Σ_p op(A)[i0 + r, p0 + p] from each panel just packed.
    public static void Pack<T>(in GemmProblem<T> g, int i0, int mc, int p0, int kc, int mr, T* dst, T* rowSums = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < mc; r += mr, dst += (long)kc * mr)
        {
            int rows = Math.Min(mr, mc - r);
            if (g.TransA) PanelFromTransposed(g.A, g.Lda, i0 + r, rows, p0, kc, mr, dst);
            else PanelFromRowMajor(g.A, g.Lda, i0 + r, rows, p0, kc, mr, dst);
            if (rowSums != null) PanelSums.Add(dst, kc, mr, rows, rowSums + r);
        }
    }

    // A stored (m, k): row i of the panel is contiguous in memory and must land in every MR-th
    // slot of the panel: a transpose.
    private static void PanelFromRowMajor<T>(T* a, int lda, int i0, int rows, int p0, int kc, int mr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Transpose8x8.Strided(a + (long)i0 * lda + p0, lda, rows, kc, dst, mr);
        ZeroRows(dst, rows, kc, mr);
    }

    // A stored (k, m): column p of the panel is contiguous in memory: a straight copy per k step,
    // in the widest vectors that fit the panel's rows (12 = 8 + 4, 6 = 4 + 2 floats). This is the
    // narrow-N path's packing of a layer's weights (W stored (k, n) read as op(B)ᵀ), once per call:
    // one element at a time it took a tenth of a 128×400·400×20 product.
    private static void PanelFromTransposed<T>(T* a, int lda, int i0, int rows, int p0, int kc, int mr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int wide = Vector256.IsHardwareAccelerated ? rows / Vector256<T>.Count * Vector256<T>.Count : 0;
        int narrow = wide + (rows - wide) / Vector128<T>.Count * Vector128<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            T* src = a + (long)(p0 + p) * lda + i0;
            T* d = dst + (long)p * mr;
            int i = 0;
            for (; i < wide; i += Vector256<T>.Count) Vector256.Store(Vector256.Load(src + i), d + i);
            for (; i < narrow; i += Vector128<T>.Count) Vector128.Store(Vector128.Load(src + i), d + i);
            for (; i < rows; i++) d[i] = src[i];
        }
        ZeroRows(dst, rows, kc, mr);
    }

    private static void ZeroRows<T>(T* dst, int rows, int kc, int mr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == mr) return;
        for (int p = 0; p < kc; p++)
            for (int i = rows; i < mr; i++) dst[(long)p * mr + i] = T.Zero;
    }
}
