using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// An 8 × 8 block of floats transposed in registers (AVX): 8 loads, 24 shuffles, 8 stores,
/// instead of 64 scalar copies. Packing a transposed operand is a transpose, and for the
/// small layers of an MLP the packing time is a visible share of the whole GEMM.
/// </summary>
internal static unsafe class Transpose8x8
{
    // dst[p·dstStride + r] = src[r·ld + p] for r < rows, p < count: `rows` rows of a matrix
    // written as columns of a packed panel. Whole 8 × 8 float blocks go through registers; the
    // rest (and double, and machines without AVX) is copied one element at a time.
    public static void Strided<T>(T* src, long ld, int rows, int count, T* dst, long dstStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            done = rows / 8 * 8;
            int blocked = count / 8 * 8;
            for (int r = 0; r < done; r += 8)
                for (int p = 0; p < blocked; p += 8)
                    Run((float*)src + r * ld + p, ld, (float*)dst + p * dstStride + r, dstStride);
            for (int r = 0; r < done; r++)
                for (int p = blocked; p < count; p++) dst[p * dstStride + r] = src[r * ld + p];
        }
        for (int r = done; r < rows; r++)
        {
            T* s = src + r * ld;
            T* d = dst + r;
            for (int p = 0; p < count; p++) d[p * dstStride] = s[p];
        }
    }

    // dst[c·dstStride + r] = src[r·srcStride + c] for r, c in 0..8
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);

        // Interleave pairs of rows: t0 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5] ...
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        // Pairs of pairs: u0 = column 0 of rows 0..3 | column 4 of rows 0..3, and so on.
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the 128-bit halves: rows 0..3 from u, rows 4..7 from the matching u4..u7.
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
