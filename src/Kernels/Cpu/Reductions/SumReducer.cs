using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scratch.Kernels.Cpu.Simd;

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
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        if (Simd512<T>.IsHardwareAccelerated && n >= Simd512<T>.Count) return Reduce<Simd512<T>>(ref xr, n);
        if (Simd256<T>.IsHardwareAccelerated && n >= Simd256<T>.Count) return Reduce<Simd256<T>>(ref xr, n);
        return Tail(ref xr, 0, n, T.Zero);
    }

    // n ≥ TV.Count
    private static T Reduce<TV>(ref T xr, int n) where TV : struct, ISimd<TV, T>
    {
        int w = TV.Count, i = 0;
        TV a0 = TV.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (; i <= n - 4 * w; i += 4 * w)
        {
            a0 += TV.Load(ref xr, (nuint)i);
            a1 += TV.Load(ref xr, (nuint)(i + w));
            a2 += TV.Load(ref xr, (nuint)(i + 2 * w));
            a3 += TV.Load(ref xr, (nuint)(i + 3 * w));
        }
        for (; i <= n - w; i += w) a0 += TV.Load(ref xr, (nuint)i);
        return Tail(ref xr, i, n, TV.Sum((a0 + a1) + (a2 + a3)));
    }

    // sum + x[i] + … + x[n − 1], one element at a time.
    private static T Tail(ref T xr, int i, int n, T sum)
    {
        for (; i < n; i++) sum += Unsafe.Add(ref xr, i);
        return sum;
    }
}
