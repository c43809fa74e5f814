using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Copies a panel of op(B) into the order the micro-kernel reads it: micro-panels of NR
/// columns, and inside each, row p of those columns stored together (NR values per k step,
/// read as two vectors). A transposed B is absorbed here, like a transposed A in <see cref="PackA"/>.
/// </summary>
internal static unsafe class PackB
{
    // op(B)[p0 .. p0+kc, j0 .. j0+nc) → dst: ceil(nc/NR) panels, each (kc, NR); columns past nc
    // are zeros, so edge tiles need no special case inside the micro-kernel. When columnSums is
    // not null, columnSums[j] += Σ_p op(B)[p0 + p, j0 + j] from each panel just packed.
    public static void Pack<T>(in GemmProblem<T> g, int p0, int kc, int j0, int nc, int nr, T* dst, T* columnSums = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < nc; j += nr, dst += (long)kc * nr)
        {
            int cols = Math.Min(nr, nc - j);
            if (g.TransB) PanelFromTransposed(g.B, g.Ldb, p0, kc, j0 + j, cols, nr, dst);
            else PanelFromRowMajor(g.B, g.Ldb, p0, kc, j0 + j, cols, nr, dst);
            if (columnSums != null) PanelSums.Add(dst, kc, nr, cols, columnSums + j);
        }
    }

    // B stored (k, n): row p of the panel is contiguous: copy it with vectors. NR is two vectors
    // of the micro-kernel's width, so whole rows split evenly into vectors of that width or less.
    private static void PanelFromRowMajor<T>(T* b, int ldb, int p0, int kc, int j0, int cols, int nr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool wide = Vector256.IsHardwareAccelerated && nr % Vector256<T>.Count == 0;
        for (int p = 0; p < kc; p++)
        {
            T* src = b + (long)(p0 + p) * ldb + j0;
            T* d = dst + (long)p * nr;
            int j = 0;
            if (cols == nr && wide)
                for (; j < nr; j += Vector256<T>.Count) Vector256.Store(Vector256.Load(src + j), d + j);
            else if (cols == nr)
                for (; j < nr; j += Vector128<T>.Count) Vector128.Store(Vector128.Load(src + j), d + j);
            for (; j < cols; j++) d[j] = src[j];
            for (; j < nr; j++) d[j] = T.Zero;
        }
    }

    // B stored (n, k): column j of the panel is contiguous: read it straight through and
    // scatter it into every NR-th slot of the panel.
    private static void PanelFromTransposed<T>(T* b, int ldb, int p0, int kc, int j0, int cols, int nr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Transpose8x8.Strided(b + (long)j0 * ldb + p0, ldb, cols, kc, dst, nr);
        if (cols == nr) return;
        for (int p = 0; p < kc; p++)
            for (int j = cols; j < nr; j++) dst[(long)p * nr + j] = T.Zero;
    }
}
