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
    // written as columns of a packed panel. Blocks of 8 columns go through registers, 8 rows at a
    // time and then the last 1..7 rows; the columns past the last block (and double, and machines
    // without AVX) are copied one element at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Strided<T>(T* src, long ld, int rows, int count, T* dst, long dstStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            int blocked = count / 8 * 8;
            for (; done + 8 <= rows; done += 8)
                for (int p = 0; p < blocked; p += 8)
                    Run((float*)src + done * ld + p, ld, (float*)dst + p * dstStride + done, dstStride);
            // A last group of fewer than 8 rows (all 6 rows of the AVX2 kernel's A panel, the last
            // 4 of the AVX-512 kernel's 12) through the same registers, zeros standing in for the
            // missing rows: element by element it took ~15% of a 128×784·784×400 product on AVX2.
            if (done < rows && blocked > 0)
            {
                for (int p = 0; p < blocked; p += 8)
                    RunRows((float*)src + done * ld + p, ld, rows - done, (float*)dst + p * dstStride + done, dstStride);
                done = rows;
            }
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
        InPlace(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Avx.Store(dst, r0);
        Avx.Store(dst + dstStride, r1);
        Avx.Store(dst + 2 * dstStride, r2);
        Avx.Store(dst + 3 * dstStride, r3);
        Avx.Store(dst + 4 * dstStride, r4);
        Avx.Store(dst + 5 * dstStride, r5);
        Avx.Store(dst + 6 * dstStride, r6);
        Avx.Store(dst + 7 * dstStride, r7);
    }

    // The same for the first `rows` (1..7) rows only: dst[c·dstStride + r] = src[r·srcStride + c]
    // for r < rows, c < 8. Rows past `rows` are neither read nor written.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRows(float* src, long srcStride, int rows, float* dst, long dstStride)
    {
        var zero = Vector256<float>.Zero;
        var r0 = Avx.LoadVector256(src);
        var r1 = rows > 1 ? Avx.LoadVector256(src + srcStride) : zero;
        var r2 = rows > 2 ? Avx.LoadVector256(src + 2 * srcStride) : zero;
        var r3 = rows > 3 ? Avx.LoadVector256(src + 3 * srcStride) : zero;
        var r4 = rows > 4 ? Avx.LoadVector256(src + 4 * srcStride) : zero;
        var r5 = rows > 5 ? Avx.LoadVector256(src + 5 * srcStride) : zero;
        var r6 = rows > 6 ? Avx.LoadVector256(src + 6 * srcStride) : zero;
        var r7 = zero;
        InPlace(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        StoreFirst(r0, dst, rows);
        StoreFirst(r1, dst + dstStride, rows);
        StoreFirst(r2, dst + 2 * dstStride, rows);
        StoreFirst(r3, dst + 3 * dstStride, rows);
        StoreFirst(r4, dst + 4 * dstStride, rows);
        StoreFirst(r5, dst + 5 * dstStride, rows);
        StoreFirst(r6, dst + 6 * dstStride, rows);
        StoreFirst(r7, dst + 7 * dstStride, rows);
    }

    // The first n (1..7) lanes of v to dst: 4, then 2, then 1 at a time, never past dst[n - 1].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst(Vector256<float> v, float* dst, int n)
    {
        var part = v.GetLower();
        if (n >= 4)
        {
            part.Store(dst);
            part = v.GetUpper();
            dst += 4;
            n -= 4;
        }
        if (n >= 2)
        {
            Sse2.StoreScalar((double*)dst, part.AsDouble());   // two floats in one 64-bit store
            part = Sse.MoveHighToLow(part, part);
            dst += 2;
            n -= 2;
        }
        if (n == 1) *dst = part.ToScalar();
    }

    // An 8 × 8 transpose in registers, in place: row i of the block in r_i → column i in r_i.
    // (In place through refs, not a tuple of 8 vectors: the refs vanish when inlined.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InPlace(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
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
        r0 = Avx.Permute2x128(u0, u4, 0x20);
        r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20);
        r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31);
        r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31);
        r7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
