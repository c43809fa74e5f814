using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The AVX2 micro-kernel (used when Vector512 is not accelerated): a 6 × 16 tile of C for float
/// (6 × 8 for double) in 12 Vector256 registers, the BLIS haswell shape. AVX2 has only 16 vector
/// registers: 12 accumulators + 2 of B + 1 broadcast of A leave one spare.
/// </summary>
internal readonly struct MicroKernel256<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;
    public static string Name => $"Vector256, {MR} x {NR}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, bool overwrite, in TileEpilogue<T> epilogue)
    {
        // 12 accumulators as separate locals, not an array: the JIT then keeps every one in
        // a register for the whole k loop (an array would be spilled to the stack each step).
        Vector256<T> c00 = default, c01 = default;
        Vector256<T> c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default;
        Vector256<T> c50 = default, c51 = default;
        int w = Vector256<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            // Row p of the B micro-panel: two vectors; column p of the A micro-panel: 6 scalars,
            // each broadcast once and used twice. 12 independent FMA chains hide the FMA latency.
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            Vector256<T> ai;
            ai = Vector256.Create(a[0]); c00 = VectorMath.Fma(ai, b0, c00); c01 = VectorMath.Fma(ai, b1, c01);
            ai = Vector256.Create(a[1]); c10 = VectorMath.Fma(ai, b0, c10); c11 = VectorMath.Fma(ai, b1, c11);
            ai = Vector256.Create(a[2]); c20 = VectorMath.Fma(ai, b0, c20); c21 = VectorMath.Fma(ai, b1, c21);
            ai = Vector256.Create(a[3]); c30 = VectorMath.Fma(ai, b0, c30); c31 = VectorMath.Fma(ai, b1, c31);
            ai = Vector256.Create(a[4]); c40 = VectorMath.Fma(ai, b0, c40); c41 = VectorMath.Fma(ai, b1, c41);
            ai = Vector256.Create(a[5]); c50 = VectorMath.Fma(ai, b0, c50); c51 = VectorMath.Fma(ai, b1, c51);
            a += 6;
            b += 2 * w;
        }

        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        Update(c + 0 * ldc, c00, c01, va, vb, overwrite);
        Update(c + 1 * ldc, c10, c11, va, vb, overwrite);
        Update(c + 2 * ldc, c20, c21, va, vb, overwrite);
        Update(c + 3 * ldc, c30, c31, va, vb, overwrite);
        Update(c + 4 * ldc, c40, c41, va, vb, overwrite);
        Update(c + 5 * ldc, c50, c51, va, vb, overwrite);
        // The epilogue, on the tile just stored (in L1): one call, not inlined into every row.
        if (!epilogue.IsNothing) epilogue.ApplyTo(c, ldc, MR, NR);
    }

    // One row of the tile into C: alpha·acc (+ beta·C, fused: one rounding).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Update(T* c, Vector256<T> acc0, Vector256<T> acc1, Vector256<T> alpha, Vector256<T> beta, bool overwrite)
    {
        int w = Vector256<T>.Count;
        if (overwrite)
        {
            (acc0 * alpha).Store(c);
            (acc1 * alpha).Store(c + w);
        }
        else
        {
            VectorMath.Fma(Vector256.Load(c), beta, acc0 * alpha).Store(c);
            VectorMath.Fma(Vector256.Load(c + w), beta, acc1 * alpha).Store(c + w);
        }
    }
}
