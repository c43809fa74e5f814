using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>The scalars of one GEMM call, passed to the kernel by value.</summary>
internal struct GemmArguments
{
    public int M, N, K;
    public int Lda, Ldb, Ldc;
    public int TransA, TransB;   // 0 or 1 (int, not bool: a plain 4-byte kernel parameter)
    public float Alpha, Beta;
}

/// <summary>
/// C = alpha·op(A)·op(B) + beta·C, row-major, the contract of <see cref="Cpu.Reference.Gemm{T}"/>.
///
/// Shared-memory tiling with register blocking (the classic SGEMM structure):
/// <list type="bullet">
/// <item>A group of 16×16 = 256 threads computes a 64×64 block of C.</item>
/// <item>K is walked in steps of 16. Each step, the group copies a 64×16 tile of op(A) and a
/// 16×64 tile of op(B) into shared memory (4 floats per thread per tile), then waits at a barrier.</item>
/// <item>Each thread keeps a 4×4 micro-tile of C in 16 registers. Per k it loads 4 values of A
/// and 4 of B from shared memory and does 16 FMAs: 2 shared loads per FMA instead of the 2
/// global loads per FMA of a naive kernel, and each global float is read once per block.</item>
/// <item>Thread (ty, tx) owns rows ty + 16·r and columns tx + 16·c (r, c in 0..3): the 32 threads
/// of a warp read 32 consecutive floats of the B tile and write consecutive floats of C.</item>
/// </list>
/// The accumulators are 16 named locals, not an array: an array indexed in a loop would live in
/// (slow, off-chip) local memory. Out-of-range elements of a tile load as 0, so any M, N, K
/// works (K = 0 gives C = beta·C). Every static method here is a kernel.
/// </summary>
internal static class GemmKernels
{
    public const int BlockM = 64, BlockN = 64, BlockK = 16;
    public const int ThreadsX = 16, ThreadsY = 16;   // BlockN / 4, BlockM / 4

    // Tile rows padded by one float. Unpadded, the 16 threads that store one column of a tile
    // (p = 0..15 at a fixed row) hit addresses 64 apart: all in the same shared-memory bank,
    // a 16-way conflict. With 65 they land in 16 different banks.
    private const int RowA = BlockM + 1, RowB = BlockN + 1;

    // a: op(A) is (m, k); b: op(B) is (k, n); c: (m, n) with leading dimension ldc.
    // Launch: grid (ceil(n / 64), ceil(m / 64)), group (16, 16).
    public static void Gemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArguments g)
    {
        // Stored k-major (tileA[p, row], tileB[p, col]) so the inner loop reads rows of both.
        var tileA = SharedMemory.Allocate<float>(BlockK * RowA);
        var tileB = SharedMemory.Allocate<float>(BlockK * RowB);

        int tx = Group.IdxX, ty = Group.IdxY;
        int thread = ty * ThreadsX + tx;
        int row0 = Grid.IdxY * BlockM, col0 = Grid.IdxX * BlockN;

        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;

        for (int k0 = 0; k0 < g.K; k0 += BlockK)
        {
            // 1024 floats per tile, 256 threads: 4 each. The index split follows the stored
            // layout so consecutive threads read consecutive addresses of global memory.
            for (int e = thread; e < BlockM * BlockK; e += ThreadsX * ThreadsY)
            {
                int r, p;
                if (g.TransA == 0) { r = e / BlockK; p = e % BlockK; }   // A is (m, k): walk along k
                else { p = e / BlockM; r = e % BlockM; }                 // A is (k, m): walk along m
                int i = row0 + r, kk = k0 + p;
                float v = 0.0f;
                if (i < g.M && kk < g.K)
                    v = g.TransA == 0 ? a[(long)i * g.Lda + kk] : a[(long)kk * g.Lda + i];
                tileA[p * RowA + r] = v;
            }
            for (int e = thread; e < BlockK * BlockN; e += ThreadsX * ThreadsY)
            {
                int p, col;
                if (g.TransB == 0) { p = e / BlockN; col = e % BlockN; } // B is (k, n): walk along n
                else { col = e / BlockK; p = e % BlockK; }               // B is (n, k): walk along k
                int j = col0 + col, kk = k0 + p;
                float v = 0.0f;
                if (j < g.N && kk < g.K)
                    v = g.TransB == 0 ? b[(long)kk * g.Ldb + j] : b[(long)j * g.Ldb + kk];
                tileB[p * RowB + col] = v;
            }
            Group.Barrier();

            for (int p = 0; p < BlockK; p++)
            {
                int ra = p * RowA + ty, rb = p * RowB + tx;
                float a0 = tileA[ra], a1 = tileA[ra + 16], a2 = tileA[ra + 32], a3 = tileA[ra + 48];
                float b0 = tileB[rb], b1 = tileB[rb + 16], b2 = tileB[rb + 32], b3 = tileB[rb + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            // Nobody may overwrite the tiles while a slower thread still reads them.
            Group.Barrier();
        }

        int i0 = row0 + ty, j0 = col0 + tx;
        Store(c, g, i0, j0, c00); Store(c, g, i0, j0 + 16, c01); Store(c, g, i0, j0 + 32, c02); Store(c, g, i0, j0 + 48, c03);
        Store(c, g, i0 + 16, j0, c10); Store(c, g, i0 + 16, j0 + 16, c11); Store(c, g, i0 + 16, j0 + 32, c12); Store(c, g, i0 + 16, j0 + 48, c13);
        Store(c, g, i0 + 32, j0, c20); Store(c, g, i0 + 32, j0 + 16, c21); Store(c, g, i0 + 32, j0 + 32, c22); Store(c, g, i0 + 32, j0 + 48, c23);
        Store(c, g, i0 + 48, j0, c30); Store(c, g, i0 + 48, j0 + 16, c31); Store(c, g, i0 + 48, j0 + 32, c32); Store(c, g, i0 + 48, j0 + 48, c33);
    }

    // beta = 0 overwrites C, so NaN or garbage in uninitialized C never leaks through (as BLAS).
    private static void Store(ArrayView<float> c, GemmArguments g, int i, int j, float acc)
    {
        if (i >= g.M || j >= g.N) return;
        long at = (long)i * g.Ldc + j;
        c[at] = g.Beta == 0.0f ? g.Alpha * acc : g.Alpha * acc + g.Beta * c[at];
    }
}
