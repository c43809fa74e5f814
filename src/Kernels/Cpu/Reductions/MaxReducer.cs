using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        T max = T.NegativeInfinity;

        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            Vector512<T> m0 = Vector512.Create(T.NegativeInfinity), m1 = m0;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                m0 = MaxOperator<T>.Invoke(m0, Vector512.LoadUnsafe(ref xr, (nuint)i));
                m1 = MaxOperator<T>.Invoke(m1, Vector512.LoadUnsafe(ref xr, (nuint)(i + w)));
            }
            // The last vector ends at n and may overlap: harmless, max(a, a) = a.
            if (i <= n - w) m1 = MaxOperator<T>.Invoke(m1, Vector512.LoadUnsafe(ref xr, (nuint)i));
            m0 = MaxOperator<T>.Invoke(m0, Vector512.LoadUnsafe(ref xr, (nuint)(n - w)));
            m0 = MaxOperator<T>.Invoke(m0, m1);
            for (int lane = 0; lane < w; lane++) max = T.Max(max, m0[lane]);
            return max;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count;
            Vector256<T> m0 = Vector256.Create(T.NegativeInfinity), m1 = m0;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                m0 = MaxOperator<T>.Invoke(m0, Vector256.LoadUnsafe(ref xr, (nuint)i));
                m1 = MaxOperator<T>.Invoke(m1, Vector256.LoadUnsafe(ref xr, (nuint)(i + w)));
            }
            if (i <= n - w) m1 = MaxOperator<T>.Invoke(m1, Vector256.LoadUnsafe(ref xr, (nuint)i));
            m0 = MaxOperator<T>.Invoke(m0, Vector256.LoadUnsafe(ref xr, (nuint)(n - w)));
            m0 = MaxOperator<T>.Invoke(m0, m1);
            for (int lane = 0; lane < w; lane++) max = T.Max(max, m0[lane]);
            return max;
        }
        for (; i < n; i++) max = T.Max(max, Unsafe.Add(ref xr, i));
        return max;
    }
}
