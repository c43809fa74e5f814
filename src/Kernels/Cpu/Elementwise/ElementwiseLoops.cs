using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Elementwise;

/// <summary>
/// The elementwise loops, written once for every operator and every vector width. Shape of each loop:
/// full vectors from the start, then ONE last vector that ends exactly at n and may overlap the
/// previous one. That last vector is loaded and computed BEFORE the main loop writes anything,
/// so y may be the very same span as an input (in-place ops) and the overlap still sees the
/// original inputs. Spans shorter than one Vector512 fall to Vector256, then to the scalar Invoke.
/// Outputs must either be exactly an input or not overlap it at all (partial overlap is not supported).
/// On the Vector512 path the main loop also starts where y is 64-byte aligned: a .NET array's data
/// sits 16 bytes into a cache line, so every unaligned 64-byte store would straddle two lines
/// (TensorPrimitives aligns for the same reason). The first vector, like the last, is computed
/// before the loop and stored after it, so the skipped head and any overlap stay correct in place.
/// Every lane is computed by the operator alone, so which vector computes an element (aligned or not,
/// overlapping or not) never changes its bits.
/// </summary>
internal static class ElementwiseLoops
{
    // The first index at which y + index is 64-byte aligned (0..w-1) for Vector512; 0 for the narrower
    // widths, whose loops start at the front as they always have. Only speed depends on it: if the GC
    // moves the array meanwhile, the loop is merely unaligned.
    private static unsafe int AlignedStart<T, TV>(ref T y) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        if (typeof(TV) != typeof(Simd512<T>)) return 0;
        nint misalignment = (nint)Unsafe.AsPointer(ref y) & 63;
        return misalignment == 0 ? 0 : (int)((64 - misalignment) / sizeof(T)) % TV.Count;
    }

    // x: (n) → y: (n)
    public static void Unary<T, TOp>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IUnaryOperator<T>
    {
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        if (Simd512<T>.IsHardwareAccelerated && n >= Simd512<T>.Count) Unary<T, TOp, Simd512<T>>(ref xr, ref yr, n);
        else if (Simd256<T>.IsHardwareAccelerated && n >= Simd256<T>.Count) Unary<T, TOp, Simd256<T>>(ref xr, ref yr, n);
        else for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i));
    }

    // n ≥ TV.Count
    private static void Unary<T, TOp, TV>(ref T xr, ref T yr, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IUnaryOperator<T> where TV : struct, ISimd<TV, T>
    {
        int w = TV.Count, last = n - w;
        var head = TOp.Invoke(TV.Load(ref xr, 0));
        var tail = TOp.Invoke(TV.Load(ref xr, (nuint)last));
        for (int i = AlignedStart<T, TV>(ref yr); i < last; i += w)
            TOp.Invoke(TV.Load(ref xr, (nuint)i)).Store(ref yr, (nuint)i);
        head.Store(ref yr, 0);
        tail.Store(ref yr, (nuint)last);
    }

    // a: (n), b: (n) → y: (n)
    public static void Binary<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T>
    {
        int n = a.Length;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T yr = ref MemoryMarshal.GetReference(y);
        if (Simd512<T>.IsHardwareAccelerated && n >= Simd512<T>.Count) Binary<T, TOp, Simd512<T>>(ref ar, ref br, ref yr, n);
        else if (Simd256<T>.IsHardwareAccelerated && n >= Simd256<T>.Count) Binary<T, TOp, Simd256<T>>(ref ar, ref br, ref yr, n);
        else for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    // n ≥ TV.Count
    private static void Binary<T, TOp, TV>(ref T ar, ref T br, ref T yr, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T> where TV : struct, ISimd<TV, T>
    {
        int w = TV.Count, last = n - w;
        var head = TOp.Invoke(TV.Load(ref ar, 0), TV.Load(ref br, 0));
        var tail = TOp.Invoke(TV.Load(ref ar, (nuint)last), TV.Load(ref br, (nuint)last));
        for (int i = AlignedStart<T, TV>(ref yr); i < last; i += w)
            TOp.Invoke(TV.Load(ref ar, (nuint)i), TV.Load(ref br, (nuint)i)).Store(ref yr, (nuint)i);
        head.Store(ref yr, 0);
        tail.Store(ref yr, (nuint)last);
    }

    // a: (n), s: scalar → y: (n); or s: scalar, b: (n) → y: (n) when scalarFirst (for s - b, s / b).
    public static void WithScalar<T, TOp>(ReadOnlySpan<T> a, T s, Span<T> y, bool scalarFirst)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T>
    {
        // Two copies of the loop keep the operand order a compile-time fact inside each one.
        if (scalarFirst) WithScalar<T, TOp, ScalarFirst>(a, s, y);
        else WithScalar<T, TOp, ScalarSecond>(a, s, y);
    }

    private interface IOrder { static abstract bool ScalarIsFirst { get; } }
    private struct ScalarFirst : IOrder { public static bool ScalarIsFirst => true; }
    private struct ScalarSecond : IOrder { public static bool ScalarIsFirst => false; }

    private static void WithScalar<T, TOp, TOrder>(ReadOnlySpan<T> a, T s, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T> where TOrder : IOrder
    {
        int n = a.Length;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T yr = ref MemoryMarshal.GetReference(y);
        if (Simd512<T>.IsHardwareAccelerated && n >= Simd512<T>.Count) WithScalar<T, TOp, TOrder, Simd512<T>>(ref ar, s, ref yr, n);
        else if (Simd256<T>.IsHardwareAccelerated && n >= Simd256<T>.Count) WithScalar<T, TOp, TOrder, Simd256<T>>(ref ar, s, ref yr, n);
        else
            for (int i = 0; i < n; i++)
            {
                T v = Unsafe.Add(ref ar, i);
                Unsafe.Add(ref yr, i) = TOrder.ScalarIsFirst ? TOp.Invoke(s, v) : TOp.Invoke(v, s);
            }
    }

    // n ≥ TV.Count
    private static void WithScalar<T, TOp, TOrder, TV>(ref T ar, T s, ref T yr, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T> where TOrder : IOrder where TV : struct, ISimd<TV, T>
    {
        int w = TV.Count, last = n - w;
        var sv = TV.Create(s);
        var head = Apply(TV.Load(ref ar, 0), sv);
        var tail = Apply(TV.Load(ref ar, (nuint)last), sv);
        for (int i = AlignedStart<T, TV>(ref yr); i < last; i += w)
            Apply(TV.Load(ref ar, (nuint)i), sv).Store(ref yr, (nuint)i);
        head.Store(ref yr, 0);
        tail.Store(ref yr, (nuint)last);

        static TV Apply(TV v, TV sv) => TOrder.ScalarIsFirst ? TOp.Invoke(sv, v) : TOp.Invoke(v, sv);
    }
}
