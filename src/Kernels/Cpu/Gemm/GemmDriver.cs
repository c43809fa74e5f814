using System.Numerics;

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
/// The first k block applies beta (or overwrites C when beta = 0); later blocks add onto C.
/// </summary>
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
                PackB.Pack(g, pc, kc, jc, nc, nr, packedB);
                for (int ic = i0; ic < i1; ic += blk.MC)
                {
                    int mc = Math.Min(blk.MC, i1 - ic);
                    PackA.Pack(g, ic, mc, pc, kc, mr, packedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        T* bPanel = packedB + (long)jr * kc;
                        int cols = Math.Min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            T* aPanel = packedA + (long)ir * kc;
                            int rows = Math.Min(mr, mc - ir);
                            T* c = g.At(ic + ir, jc + jr);
                            if (rows == mr && cols == nr && !g.TransposedC)
                                TKernel.Run(kc, aPanel, bPanel, c, g.Ldc, g.Alpha, beta, overwrite);
                            else if (!g.TransposedC)
                                EdgeTile<T, TKernel>(kc, aPanel, bPanel, tile, c, 1, g.Ldc, rows, cols, g.Alpha, beta, overwrite);
                            else
                                EdgeTile<T, TKernel>(kc, aPanel, bPanel, tile, c, g.Ldc, 1, rows, cols, g.Alpha, beta, overwrite);
                        }
                    }
                }
            }
        }
    }

    // A tile that sticks out of C, or one of a transposed C: run the full micro-kernel into a
    // scratch tile, then merge only the valid rows × cols, element (i, j) at c[i·rowStride +
    // j·colStride]. Same operations in the same order as a full tile (the FMA chain, then
    // alpha·acc, then one fused beta·C), so an element's bits don't depend on whether it sat in
    // an edge tile: that keeps 1 and 2 threads bitwise equal.
    private static void EdgeTile<T, TKernel>(int kc, T* aPanel, T* bPanel, T* tile, T* c, int colStride, int rowStride,
        int rows, int cols, T alpha, T beta, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        int nr = TKernel.NR;
        TKernel.Run(kc, aPanel, bPanel, tile, nr, T.One, T.Zero, overwrite: true);
        if (colStride == 1)
        {
            for (int i = 0; i < rows; i++)
            {
                T* t = tile + (long)i * nr;
                T* ci = c + (long)i * rowStride;
                for (int j = 0; j < cols; j++)
                    ci[j] = overwrite ? t[j] * alpha : VectorMath.MulAdd(ci[j], beta, t[j] * alpha);
            }
            return;
        }
        // Transposed C: a column of the tile is a contiguous run of C.
        for (int j = 0; j < cols; j++)
        {
            T* cj = c + (long)j * colStride;
            for (int i = 0; i < rows; i++)
            {
                T t = tile[(long)i * nr + j];
                cj[i] = overwrite ? t * alpha : VectorMath.MulAdd(cj[i], beta, t * alpha);
            }
        }
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;
}
