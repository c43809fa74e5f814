using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The 128-bit micro-kernel for x64 without AVX2 (SSE/AVX-only machines, or AVX2 switched off):
/// a 4 × 8 tile of C for float (4 × 4 for double) in 8 Vector128 accumulators.
/// </summary>
/// <remarks>
/// Why so small: such an x64 has 16 vector registers and no FMA instruction, so every
/// multiply-add is a multiply into a temporary and an add. A 6 × 8 tile (12 accumulators + 2 of B
/// + 1 broadcast + 1 temporary = 16) left the JIT no spare register: it spilled B and the
/// broadcasts to the stack on every k step and ran at 10 GFLOP/s. 4 × 8 (8 + 2 + 1 + 1 = 12)
/// stays in registers; its 8 independent add chains cover the add latency (3–4 cycles at 2 adds
/// per cycle), and multiplies and adds go to separate pipes, so mul + add run at the rate one
/// FMA would. Arm64, with 32 registers and FMA, gets <see cref="MicroKernel128Wide{T}"/>.
/// The k loop writes `c += a·b` itself instead of calling VectorMath.Fma: inlined there, the
/// no-FMA branch kept b and the broadcast in stack slots (store, reload, every k step) and the
/// kernel ran at 13 GFLOP/s instead of 40 on Zen 5. With no FMA to fuse, full and edge tiles
/// still round alike (both run this loop).
/// </remarks>
internal readonly struct MicroKernel128<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 4;
    public static int NR => 2 * Vector128<T>.Count;
    public static string Name => $"Vector128, {MR} x {NR}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, bool overwrite, in TileEpilogue<T> epilogue)
    {
        // Separate locals, not an array: the JIT keeps each accumulator in a register.
        Vector128<T> c00 = default, c01 = default;
        Vector128<T> c10 = default, c11 = default;
        Vector128<T> c20 = default, c21 = default;
        Vector128<T> c30 = default, c31 = default;
        int w = Vector128<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + w);
            Vector128<T> ai;
            ai = Broadcast(a + 0); c00 += ai * b0; c01 += ai * b1;
            ai = Broadcast(a + 1); c10 += ai * b0; c11 += ai * b1;
            ai = Broadcast(a + 2); c20 += ai * b0; c21 += ai * b1;
            ai = Broadcast(a + 3); c30 += ai * b0; c31 += ai * b1;
            a += 4;
            b += 2 * w;
        }

        var va = Vector128.Create(alpha);
        var vb = Vector128.Create(beta);
        Tile128.Update(c + 0 * ldc, c00, va, vb, overwrite); Tile128.Update(c + 0 * ldc + w, c01, va, vb, overwrite);
        Tile128.Update(c + 1 * ldc, c10, va, vb, overwrite); Tile128.Update(c + 1 * ldc + w, c11, va, vb, overwrite);
        Tile128.Update(c + 2 * ldc, c20, va, vb, overwrite); Tile128.Update(c + 2 * ldc + w, c21, va, vb, overwrite);
        Tile128.Update(c + 3 * ldc, c30, va, vb, overwrite); Tile128.Update(c + 3 * ldc + w, c31, va, vb, overwrite);
        if (!epilogue.IsNothing) epilogue.ApplyTo(c, ldc, MR, NR);
    }

    // a[0] in every lane, straight from memory where AVX can (vbroadcastss: a load, no shuffle);
    // SSE builds it with a shuffle, which competes with nothing else in this loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<T> Broadcast(T* a)
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
            return Avx.BroadcastScalarToVector128((float*)a).As<float, T>();
        if (typeof(T) == typeof(double) && Sse3.IsSupported)
            return Sse3.LoadAndDuplicateToVector128((double*)a).As<double, T>();
        return Vector128.Create(*a);
    }
}

/// <summary>Writing one Vector128 of a finished tile into C, shared by the two 128-bit kernels.</summary>
internal static class Tile128
{
    // alpha·acc (+ beta·C, fused where the hardware has FMA: one rounding).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Update<T>(T* c, Vector128<T> acc, Vector128<T> alpha, Vector128<T> beta, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (overwrite) (acc * alpha).Store(c);
        else VectorMath.Fma(Vector128.Load(c), beta, acc * alpha).Store(c);
    }
}
