using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scratch.Kernels.Cpu.Simd;
using Scratch.Kernels.Cpu.Elementwise;

namespace Scratch.Kernels.Cpu.Reductions;

/// <summary>
/// max x over one span: -Inf when empty, NaN when any element is NaN. Max is exact, so the order
/// of comparisons changes nothing except which zero wins a tie between -0 and +0: here +0
/// (IEEE maximum), where Reference keeps the first one it met. Both compare equal.
/// Uses the NaN-propagating <see cref="MaxOperator{T}"/>, not the raw vector max (which drops NaN).
/// </summary>
internal readonly struct MaxReducer<T> : ISpanReducer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Reduce(ReadOnlySpan<T> x)
    {
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        if (Simd512<T>.IsHardwareAccelerated && n >= Simd512<T>.Count) return Reduce<Simd512<T>>(ref xr, n);
        if (Simd256<T>.IsHardwareAccelerated && n >= Simd256<T>.Count) return Reduce<Simd256<T>>(ref xr, n);
        T max = T.NegativeInfinity;
        for (int i = 0; i < n; i++) max = T.Max(max, Unsafe.Add(ref xr, i));
        return max;
    }

    // n ≥ TV.Count
    private static T Reduce<TV>(ref T xr, int n) where TV : struct, ISimd<TV, T>
    {
        int w = TV.Count, i = 0;
        TV m0 = TV.Create(T.NegativeInfinity), m1 = m0;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            m0 = MaxOperator<T>.Invoke(m0, TV.Load(ref xr, (nuint)i));
            m1 = MaxOperator<T>.Invoke(m1, TV.Load(ref xr, (nuint)(i + w)));
        }
        // The last vector ends at n and may overlap: harmless, max(a, a) = a.
        if (i <= n - w) m1 = MaxOperator<T>.Invoke(m1, TV.Load(ref xr, (nuint)i));
        m0 = MaxOperator<T>.Invoke(m0, TV.Load(ref xr, (nuint)(n - w)));
        m0 = MaxOperator<T>.Invoke(m0, m1);
        T max = T.NegativeInfinity;
        for (int lane = 0; lane < w; lane++) max = T.Max(max, m0[lane]);
        return max;
    }
}
