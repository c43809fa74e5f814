using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Simd;

/// <summary>
/// A Vector512&lt;T&gt; as an <see cref="ISimd{TSelf, T}"/>: AVX-512, 16 floats. Each member is the one
/// Vector512 operation it names; AggressiveInlining keeps the wrapper out of the generated code (a
/// kernel's loop body is large, and the JIT would otherwise stop inlining these small calls in it).
/// </summary>
internal readonly struct Simd512<T>(Vector512<T> value) : ISimd<Simd512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    public readonly Vector512<T> Value = value;

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    public static int Count => Vector512<T>.Count;
    public static Simd512<T> Zero => new(Vector512<T>.Zero);
    public static Simd512<T> One => new(Vector512<T>.One);
    public static Simd512<T> Indices => new(Vector512<T>.Indices);
    [MethodImpl(Inline)] public static Simd512<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(Inline)] public static Simd512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    [MethodImpl(Inline)] public static unsafe Simd512<T> Load(T* source) => new(Vector512.Load(source));
    [MethodImpl(Inline)] public void Store(ref T destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(Inline)] public unsafe void Store(T* destination) => Value.Store(destination);
    public T this[int lane] { [MethodImpl(Inline)] get => Value[lane]; }

    [MethodImpl(Inline)] public static Simd512<T> operator +(Simd512<T> a, Simd512<T> b) => new(a.Value + b.Value);
    [MethodImpl(Inline)] public static Simd512<T> operator -(Simd512<T> a, Simd512<T> b) => new(a.Value - b.Value);
    [MethodImpl(Inline)] public static Simd512<T> operator *(Simd512<T> a, Simd512<T> b) => new(a.Value * b.Value);
    [MethodImpl(Inline)] public static Simd512<T> operator /(Simd512<T> a, Simd512<T> b) => new(a.Value / b.Value);
    [MethodImpl(Inline)] public static Simd512<T> operator -(Simd512<T> x) => new(-x.Value);
    [MethodImpl(Inline)] public static Simd512<T> operator &(Simd512<T> a, Simd512<T> b) => new(a.Value & b.Value);
    [MethodImpl(Inline)] public static Simd512<T> operator |(Simd512<T> a, Simd512<T> b) => new(a.Value | b.Value);

    // Compare and select in one method: the compare's result then stays a mask register (AVX-512 k)
    // feeding a masked blend, as with raw vectors. Wrapped in a struct between two calls, it would
    // be widened to a vector of ones and zeros first (measured: MaxReducer 1.5-2× slower that way).
    [MethodImpl(Inline)] public static Simd512<T> SelectGreater(Simd512<T> a, Simd512<T> b, Simd512<T> x, Simd512<T> y) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd512<T> SelectLess(Simd512<T> a, Simd512<T> b, Simd512<T> x, Simd512<T> y) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd512<T> SelectEqual(Simd512<T> a, Simd512<T> b, Simd512<T> x, Simd512<T> y) =>
        new(Vector512.ConditionalSelect(Vector512.Equals(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd512<T> SelectNaN(Simd512<T> v, Simd512<T> x, Simd512<T> y) =>
        new(Vector512.ConditionalSelect(Vector512.IsNaN(v.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd512<T> LessThan(Simd512<T> a, Simd512<T> b) => new(Vector512.LessThan(a.Value, b.Value));
    [MethodImpl(Inline)] public static Simd512<T> ConditionalSelect(Simd512<T> mask, Simd512<T> a, Simd512<T> b) =>
        new(Vector512.ConditionalSelect(mask.Value, a.Value, b.Value));

    [MethodImpl(Inline)] public static Simd512<T> Sqrt(Simd512<T> x) => new(Vector512.Sqrt(x.Value));
    [MethodImpl(Inline)] public static Simd512<T> Abs(Simd512<T> x) => new(Vector512.Abs(x.Value));
    [MethodImpl(Inline)] public static Simd512<T> Max(Simd512<T> a, Simd512<T> b) => new(Vector512.Max(a.Value, b.Value));
    [MethodImpl(Inline)] public static T Sum(Simd512<T> x) => Vector512.Sum(x.Value);

    [MethodImpl(Inline)]
    public static Simd512<T> Exp(Simd512<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Exp(x.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Exp(x.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }

    [MethodImpl(Inline)]
    public static Simd512<T> Log(Simd512<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Log(x.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Log(x.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }

    [MethodImpl(Inline)]
    public static Simd512<T> FusedMultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(a.Value.AsSingle(), b.Value.AsSingle(), c.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(a.Value.AsDouble(), b.Value.AsDouble(), c.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }
}
