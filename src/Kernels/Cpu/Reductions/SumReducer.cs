using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Reductions;

/// <summary>
/// Σ x over one span (a chunk of at most ChunkedReduction.ChunkLength elements).
/// Four vector accumulators, each summing every fourth vector: four independent add chains keep
/// the adder pipelines busy (one chain would wait 3-4 cycles per add) and spread the rounding error
/// over 4·W partial sums, so it is usually MORE accurate than Reference.Sum's one sequential chain.
/// The accumulators are combined in a fixed order ((a0 + a1) + (a2 + a3), then the lanes, then the
/// scalar tail), so the result differs from Reference.Sum by rounding only and is the same on every
/// run; it does depend on the vector width (AVX-512 vs AVX2 machines may differ in the last bits).
/// </summary>
internal readonly struct SumReducer<T> : ISpanReducer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Reduce(ReadOnlySpan<T> x)
    {
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        T sum = T.Zero;

        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 += Vector512.LoadUnsafe(ref xr, (nuint)i);
                a1 += Vector512.LoadUnsafe(ref xr, (nuint)(i + w));
                a2 += Vector512.LoadUnsafe(ref xr, (nuint)(i + 2 * w));
                a3 += Vector512.LoadUnsafe(ref xr, (nuint)(i + 3 * w));
            }
            for (; i <= n - w; i += w) a0 += Vector512.LoadUnsafe(ref xr, (nuint)i);
            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count;
            Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 += Vector256.LoadUnsafe(ref xr, (nuint)i);
                a1 += Vector256.LoadUnsafe(ref xr, (nuint)(i + w));
                a2 += Vector256.LoadUnsafe(ref xr, (nuint)(i + 2 * w));
                a3 += Vector256.LoadUnsafe(ref xr, (nuint)(i + 3 * w));
            }
            for (; i <= n - w; i += w) a0 += Vector256.LoadUnsafe(ref xr, (nuint)i);
            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref xr, i);
        return sum;
    }
}
