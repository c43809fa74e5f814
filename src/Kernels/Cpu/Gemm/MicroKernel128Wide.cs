using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The 128-bit micro-kernel for Arm64 (NEON): an 8 × 12 tile of C for float (8 × 6 for double)
/// in 24 Vector128 accumulators, the shape of BLIS's armv8a sgemm kernel.
/// </summary>
/// <remarks>
/// Arm64 has 32 vector registers and a fused multiply-add: 24 accumulators + 3 vectors of B +
/// 1 broadcast of A = 28 fit, with 4 to spare. Per k step it loads 3 vectors and 8 scalars
/// (ld1r, a load that broadcasts) for 24 FMAs: twice the work per load of a 6 × 8 tile. It is
/// portable Vector128 code, so the tests run it on x64 as well (where, with 16 registers, it
/// spills and is slow, but must still be right).
/// </remarks>
internal readonly struct MicroKernel128Wide<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 8;
    public static int NR => 3 * Vector128<T>.Count;
    public static string Name => $"Vector128 (32 registers), {MR} x {NR}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, bool overwrite, in TileEpilogue<T> epilogue)
    {
        // 24 accumulators as separate locals: each stays in a register for the whole k loop.
        Vector128<T> c00 = default, c01 = default, c02 = default;
        Vector128<T> c10 = default, c11 = default, c12 = default;
        Vector128<T> c20 = default, c21 = default, c22 = default;
        Vector128<T> c30 = default, c31 = default, c32 = default;
        Vector128<T> c40 = default, c41 = default, c42 = default;
        Vector128<T> c50 = default, c51 = default, c52 = default;
        Vector128<T> c60 = default, c61 = default, c62 = default;
        Vector128<T> c70 = default, c71 = default, c72 = default;
        int w = Vector128<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + w);
            var b2 = Vector128.Load(b + 2 * w);
            Vector128<T> ai;
            ai = Vector128.Create(a[0]); c00 = VectorMath.Fma(ai, b0, c00); c01 = VectorMath.Fma(ai, b1, c01); c02 = VectorMath.Fma(ai, b2, c02);
            ai = Vector128.Create(a[1]); c10 = VectorMath.Fma(ai, b0, c10); c11 = VectorMath.Fma(ai, b1, c11); c12 = VectorMath.Fma(ai, b2, c12);
            ai = Vector128.Create(a[2]); c20 = VectorMath.Fma(ai, b0, c20); c21 = VectorMath.Fma(ai, b1, c21); c22 = VectorMath.Fma(ai, b2, c22);
            ai = Vector128.Create(a[3]); c30 = VectorMath.Fma(ai, b0, c30); c31 = VectorMath.Fma(ai, b1, c31); c32 = VectorMath.Fma(ai, b2, c32);
            ai = Vector128.Create(a[4]); c40 = VectorMath.Fma(ai, b0, c40); c41 = VectorMath.Fma(ai, b1, c41); c42 = VectorMath.Fma(ai, b2, c42);
            ai = Vector128.Create(a[5]); c50 = VectorMath.Fma(ai, b0, c50); c51 = VectorMath.Fma(ai, b1, c51); c52 = VectorMath.Fma(ai, b2, c52);
            ai = Vector128.Create(a[6]); c60 = VectorMath.Fma(ai, b0, c60); c61 = VectorMath.Fma(ai, b1, c61); c62 = VectorMath.Fma(ai, b2, c62);
            ai = Vector128.Create(a[7]); c70 = VectorMath.Fma(ai, b0, c70); c71 = VectorMath.Fma(ai, b1, c71); c72 = VectorMath.Fma(ai, b2, c72);
            a += 8;
            b += 3 * w;
        }

        var va = Vector128.Create(alpha);
        var vb = Vector128.Create(beta);
        Row(c + 0 * ldc, c00, c01, c02, va, vb, overwrite);
        Row(c + 1 * ldc, c10, c11, c12, va, vb, overwrite);
        Row(c + 2 * ldc, c20, c21, c22, va, vb, overwrite);
        Row(c + 3 * ldc, c30, c31, c32, va, vb, overwrite);
        Row(c + 4 * ldc, c40, c41, c42, va, vb, overwrite);
        Row(c + 5 * ldc, c50, c51, c52, va, vb, overwrite);
        Row(c + 6 * ldc, c60, c61, c62, va, vb, overwrite);
        Row(c + 7 * ldc, c70, c71, c72, va, vb, overwrite);
        if (!epilogue.IsNothing) epilogue.ApplyTo(c, ldc, MR, NR);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Row(T* c, Vector128<T> x0, Vector128<T> x1, Vector128<T> x2,
        Vector128<T> alpha, Vector128<T> beta, bool overwrite)
    {
        int w = Vector128<T>.Count;
        Tile128.Update(c, x0, alpha, beta, overwrite);
        Tile128.Update(c + w, x1, alpha, beta, overwrite);
        Tile128.Update(c + 2 * w, x2, alpha, beta, overwrite);
    }
}
