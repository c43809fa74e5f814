namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The narrow-N path: a C with few columns (the VAE's 20- and 40-wide heads) is computed as its
/// transpose, Cᵀ = op(B)ᵀ·op(A)ᵀ, so the narrow side falls on the micro-kernel's short MR side
/// and the long side (the batch) on its wide vector side.
/// </summary>
/// <remarks>
/// 128×400·400×20 on the 12 × 32 AVX-512 kernel: as stored, N = 20 fills 20 of 32 columns of every
/// tile (62% of the FMAs do work); transposed, 20 rows fill 20 of 24 (two tiles of 12: 83%) and
/// the 128 columns are four full tiles. Swapping operands costs nothing (packing absorbs the
/// transposes, see <see cref="PackA"/>); the price is that every tile is written to C through
/// the scratch tile (<see cref="GemmDriver"/>'s EdgeTile: one register transpose for a
/// forward product, alpha = 1 and beta = 0; element by element otherwise), a few percent of a
/// K = 400 product.
/// </remarks>
internal static unsafe class NarrowN
{
    // The widest C that can take this path: beyond it tiles are full enough either way.
    public const int MaxN = 40;

    /// <summary>Whether op(A)·op(B) with this (m, n) should run transposed on an MR × NR kernel.</summary>
    public static bool Pays(int m, int n, int mr, int nr) =>
        n <= MaxN && n < m && Fill(n, mr) * Fill(m, nr) > 1.1 * Fill(m, mr) * Fill(n, nr);

    // The share of a dimension's tiles that holds real elements: 20 on tiles of 32 → 0.625.
    private static double Fill(int length, int tile) => (double)length / ((length + tile - 1) / tile * tile);

    /// <summary>The same product as a problem over Cᵀ: (n, m) = op(B)ᵀ (n, k) · op(A)ᵀ (k, m).</summary>
    public static GemmProblem<T> Transpose<T>(in GemmProblem<T> g) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new()
        {
            // op(B)ᵀ read from B's storage: B stored (k, n) is (n, k) read transposed, and back.
            A = g.B, Lda = g.Ldb, TransA = !g.TransB,
            B = g.A, Ldb = g.Lda, TransB = !g.TransA,
            C = g.C, Ldc = g.Ldc, TransposedC = !g.TransposedC,
            M = g.N, N = g.M, K = g.K, Alpha = g.Alpha, Beta = g.Beta,
            // The caller's columns become rows (At and the driver index the bias accordingly);
            // rows of op(A) are columns of op(A)ᵀ, the new B.
            Bias = g.Bias, Activation = g.Activation, Slope = g.Slope,
            RowSumsOfA = g.ColumnSumsOfB, ColumnSumsOfB = g.RowSumsOfA,
        };
}
