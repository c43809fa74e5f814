using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Elementwise;

/// <summary>
/// The elementwise loops, written once for every operator. Shape of each loop:
/// full vectors from the start, then ONE last vector that ends exactly at n and may overlap the
/// previous one. That last vector is loaded and computed BEFORE the main loop writes anything,
/// so y may be the very same span as an input (in-place ops) and the overlap still sees the
/// original inputs. Spans shorter than one vector fall to Vector256, then to the scalar Invoke.
/// Outputs must either be exactly an input or not overlap it at all (partial overlap is not supported).
/// On the Vector512 path the main loop also starts where y is 64-byte aligned: a .NET array's data
/// sits 16 bytes into a cache line, so every unaligned 64-byte store would straddle two lines
/// (TensorPrimitives aligns for the same reason). The first vector, like the last, is computed
/// before the loop and stored after it, so the skipped head and any overlap stay correct in place.
/// </summary>
internal static class ElementwiseLoops
{
    // The first index at which y + index is 64-byte aligned (0..w-1). Only speed depends on it: if
    // the GC moves the array meanwhile, the loop is merely unaligned.
    private static unsafe int AlignedStart<T>(ref T y) where T : unmanaged
    {
        nint misalignment = (nint)Unsafe.AsPointer(ref y) & 63;
        return misalignment == 0 ? 0 : (int)((64 - misalignment) / sizeof(T)) % Vector512<T>.Count;
    }

    // x: (n) → y: (n)
    public static void Unary<T, TOp>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IUnaryOperator<T>
    {
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);

        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count, last = n - w;
            var head = TOp.Invoke(Vector512.LoadUnsafe(ref xr));
            var tail = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)last));
            for (int i = AlignedStart<T>(ref yr); i < last; i += w)
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            head.StoreUnsafe(ref yr);
            tail.StoreUnsafe(ref yr, (nuint)last);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count, last = n - w;
            var tail = TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)last));
            for (int i = 0; i < last; i += w)
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            tail.StoreUnsafe(ref yr, (nuint)last);
            return;
        }
        for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i));
    }

    // a: (n), b: (n) → y: (n)
    public static void Binary<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T>
    {
        int n = a.Length;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T yr = ref MemoryMarshal.GetReference(y);

        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count, last = n - w;
            var head = TOp.Invoke(Vector512.LoadUnsafe(ref ar), Vector512.LoadUnsafe(ref br));
            var tail = TOp.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)last), Vector512.LoadUnsafe(ref br, (nuint)last));
            for (int i = AlignedStart<T>(ref yr); i < last; i += w)
                TOp.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)i), Vector512.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            head.StoreUnsafe(ref yr);
            tail.StoreUnsafe(ref yr, (nuint)last);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count, last = n - w;
            var tail = TOp.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)last), Vector256.LoadUnsafe(ref br, (nuint)last));
            for (int i = 0; i < last; i += w)
                TOp.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)i), Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            tail.StoreUnsafe(ref yr, (nuint)last);
            return;
        }
        for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    // a: (n), s: scalar → y: (n); or s: scalar, b: (n) → y: (n) when scalarFirst (for s - b, s / b).
    public static void WithScalar<T, TOp>(ReadOnlySpan<T> a, T s, Span<T> y, bool scalarFirst)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T>
    {
        // Two copies of the loop keep the operand order a compile-time fact inside each one.
        if (scalarFirst) WithScalarCore<T, TOp, ScalarFirst>(a, s, y);
        else WithScalarCore<T, TOp, ScalarSecond>(a, s, y);
    }

    private interface IOrder { static abstract bool ScalarIsFirst { get; } }
    private struct ScalarFirst : IOrder { public static bool ScalarIsFirst => true; }
    private struct ScalarSecond : IOrder { public static bool ScalarIsFirst => false; }

    private static void WithScalarCore<T, TOp, TOrder>(ReadOnlySpan<T> a, T s, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOperator<T> where TOrder : IOrder
    {
        int n = a.Length;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T yr = ref MemoryMarshal.GetReference(y);

        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count, last = n - w;
            var sv = Vector512.Create(s);
            var head = Apply(Vector512.LoadUnsafe(ref ar), sv);
            var tail = Apply(Vector512.LoadUnsafe(ref ar, (nuint)last), sv);
            for (int i = AlignedStart<T>(ref yr); i < last; i += w)
                Apply(Vector512.LoadUnsafe(ref ar, (nuint)i), sv).StoreUnsafe(ref yr, (nuint)i);
            head.StoreUnsafe(ref yr);
            tail.StoreUnsafe(ref yr, (nuint)last);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count, last = n - w;
            var sv = Vector256.Create(s);
            var tail = Apply256(Vector256.LoadUnsafe(ref ar, (nuint)last), sv);
            for (int i = 0; i < last; i += w)
                Apply256(Vector256.LoadUnsafe(ref ar, (nuint)i), sv).StoreUnsafe(ref yr, (nuint)i);
            tail.StoreUnsafe(ref yr, (nuint)last);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            T v = Unsafe.Add(ref ar, i);
            Unsafe.Add(ref yr, i) = TOrder.ScalarIsFirst ? TOp.Invoke(s, v) : TOp.Invoke(v, s);
        }

        static Vector512<T> Apply(Vector512<T> v, Vector512<T> sv) => TOrder.ScalarIsFirst ? TOp.Invoke(sv, v) : TOp.Invoke(v, sv);
        static Vector256<T> Apply256(Vector256<T> v, Vector256<T> sv) => TOrder.ScalarIsFirst ? TOp.Invoke(sv, v) : TOp.Invoke(v, sv);
    }
}
