using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The Goto/BLIS loop nest over one rectangle of C (rows [i0, i1), columns [j0, j1)), on the
/// calling thread:
/// <code>
/// jc over NC:                     a panel of columns of C
///   pc over KC:                   pack op(B)[pc.., jc..]  (KC × NC, stays in L2/L3)
///     ic over MC:                 pack op(A)[ic.., pc..]  (MC × KC, stays in L2)
///       jr over NR, ir over MR:   micro-kernel: one MR × NR tile of C (operands in L1)
/// </code>
/// The first k block applies beta (or overwrites C when beta = 0); later blocks add onto C; the
/// last applies the epilogue (bias, activation). Packing may add up row or column sums on the way.
/// </summary>
/// <remarks>
/// The micro-kernels and the 8 × 8 transposes are marked AggressiveOptimization (compiled fully
/// optimized at their first call); the rest keeps .NET's tiering, whose tier-1 code with profile
/// data (PGO) ran a 128×400·400×20 product in 17 µs with AVX-512 against 25 µs without PGO. In a
/// side-by-side run the transpose had stayed at tier 0 for seconds (in perf: QuickJitted, with a
/// tuple of 8 vectors built in memory), the head 2.6× slower than in steady state.
/// </remarks>
internal static unsafe class GemmDriver
{
    public static void Run<T, TKernel>(in GemmProblem<T> g, Blocking blk, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        var buffers = PackBuffers.OfThisThread;
        int ncMax = Math.Min(blk.NC, RoundUp(j1 - j0, nr));
        int mcMax = Math.Min(blk.MC, RoundUp(i1 - i0, mr));
        T* packedB = buffers.PackedB<T>((long)blk.KC * ncMax);
        T* packedA = buffers.PackedA<T>((long)blk.KC * mcMax);
        T* tile = buffers.Tile<T>(mr * nr);

        for (int jc = j0; jc < j1; jc += blk.NC)
        {
            int nc = Math.Min(blk.NC, j1 - jc);
            for (int pc = 0; pc < g.K; pc += blk.KC)
            {
                int kc = Math.Min(blk.KC, g.K - pc);
                bool first = pc == 0;
                T beta = first ? g.Beta : T.One;
                bool overwrite = first && g.Beta == T.Zero;
                // The epilogue goes with the last k block, when a tile holds its final sum.
                bool epilogue = pc + kc >= g.K && g.HasEpilogue;
                PackB.Pack(g, pc, kc, jc, nc, nr, packedB, ColumnSumsHere(g, i0, jc));
                for (int ic = i0; ic < i1; ic += blk.MC)
                {
                    int mc = Math.Min(blk.MC, i1 - ic);
                    PackA.Pack(g, ic, mc, pc, kc, mr, packedA, RowSumsHere(g, j0, jc, ic));
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        T* bPanel = packedB + (long)jr * kc;
                        int cols = Math.Min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            T* aPanel = packedA + (long)ir * kc;
                            int rows = Math.Min(mr, mc - ir);
                            int i = ic + ir, j = jc + jr;
                            T* c = g.At(i, j);
                            // The bias of this tile's first row (C transposed) or first column.
                            var fused = !epilogue ? default : new TileEpilogue<T>
                            {
                                Bias = g.Bias == null ? null : g.Bias + (g.TransposedC ? i : j),
                                Activation = g.Activation, Slope = g.Slope,
                            };
                            if (rows == mr && cols == nr && !g.TransposedC)
                                TKernel.Run(kc, aPanel, bPanel, c, g.Ldc, g.Alpha, beta, overwrite, fused);
                            else
                                EdgeTile<T, TKernel>(kc, aPanel, bPanel, tile, c, g.Ldc, g.TransposedC, rows, cols, g.Alpha, beta, overwrite, fused);
                        }
                    }
                }
            }
        }
    }

    // Where this thread adds the column sums of B for the panel at jc: B is packed by every
    // thread that shares its columns, so only the one with the first rows (i0 = 0) adds them.
    private static T* ColumnSumsHere<T>(in GemmProblem<T> g, int i0, int jc) where T : unmanaged, IFloatingPointIeee754<T> =>
        g.ColumnSumsOfB == null || i0 != 0 ? null : g.ColumnSumsOfB + jc;

    // Likewise the row sums of A for the block at ic: A is packed once per column panel jc and by
    // every thread that shares its rows, so only the first panel of the thread with j0 = 0 adds.
    private static T* RowSumsHere<T>(in GemmProblem<T> g, int j0, int jc, int ic) where T : unmanaged, IFloatingPointIeee754<T> =>
        g.RowSumsOfA == null || j0 != 0 || jc != j0 ? null : g.RowSumsOfA + ic;

    // A tile that sticks out of C, or one of a transposed C: run the full micro-kernel into a
    // scratch tile, then merge only the valid rows × cols, element (i, j) at c[i·ldc + j], or at
    // c[j·ldc + i] when transposed. Same operations in the same order as a full tile (the FMA
    // chain, then alpha·acc, then one fused beta·C, then the epilogue), so an element's bits don't
    // depend on whether it sat in an edge tile: that keeps 1 and 2 threads bitwise equal.
    private static void EdgeTile<T, TKernel>(int kc, T* aPanel, T* bPanel, T* tile, T* c, int ldc, bool transposed,
        int rows, int cols, T alpha, T beta, bool overwrite, in TileEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        int nr = TKernel.NR;
        TKernel.Run(kc, aPanel, bPanel, tile, nr, T.One, T.Zero, overwrite: true, default);
        if (!transposed)
        {
            for (int i = 0; i < rows; i++)
            {
                T* t = tile + (long)i * nr;
                T* ci = c + (long)i * ldc;
                // Whole vectors of the row first (the operations of a full tile's Update), then the rest.
                int j = MergeVectors(t, ci, cols, alpha, beta, overwrite);
                for (; j < cols; j++)
                    ci[j] = overwrite ? t[j] * alpha : VectorMath.MulAdd(ci[j], beta, t[j] * alpha);
            }
            if (!epilogue.IsNothing) epilogue.ApplyTo(c, ldc, rows, cols);
            return;
        }
        // Transposed C: a column of the tile is a contiguous run of C, and the bias (indexed by the
        // tile's rows) runs along it. With alpha = 1 and C overwritten (a layer's forward product)
        // each value is the tile's own (t·1 = t exactly): one register transpose writes them all.
        if (overwrite && alpha == T.One)
        {
            Transpose8x8.Strided(tile, nr, rows, cols, c, ldc);
            if (!epilogue.IsNothing) epilogue.ApplyTo(c, ldc, cols, rows);
            return;
        }
        for (int j = 0; j < cols; j++)
        {
            T* cj = c + (long)j * ldc;
            for (int i = 0; i < rows; i++)
            {
                T t = tile[(long)i * nr + j];
                cj[i] = overwrite ? t * alpha : VectorMath.MulAdd(cj[i], beta, t * alpha);
            }
        }
        if (!epilogue.IsNothing) epilogue.ApplyTo(c, ldc, cols, rows);
    }

    // ci[j] = alpha·t[j] (+ beta·ci[j]) for whole Vector256s of the row; returns where it stopped.
    private static int MergeVectors<T>(T* t, T* ci, int cols, T alpha, T beta, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (!Vector256.IsHardwareAccelerated) return j;
        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        for (; j + Vector256<T>.Count <= cols; j += Vector256<T>.Count)
        {
            var acc = Vector256.Load(t + j);
            var v = overwrite ? acc * va : VectorMath.Fma(Vector256.Load(ci + j), vb, acc * va);
            v.Store(ci + j);
        }
        return j;
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;
}
