using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Simd;

/// <summary>
/// A Vector256&lt;T&gt; as an <see cref="ISimd{TSelf, T}"/>: AVX2, 8 floats. Each member is the one
/// Vector256 operation it names; AggressiveInlining keeps the wrapper out of the generated code (a
/// kernel's loop body is large, and the JIT would otherwise stop inlining these small calls in it).
/// </summary>
internal readonly struct Simd256<T>(Vector256<T> value) : ISimd<Simd256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    public readonly Vector256<T> Value = value;

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    public static int Count => Vector256<T>.Count;
    public static Simd256<T> Zero => new(Vector256<T>.Zero);
    public static Simd256<T> One => new(Vector256<T>.One);
    public static Simd256<T> Indices => new(Vector256<T>.Indices);
    [MethodImpl(Inline)] public static Simd256<T> Create(T value) => new(Vector256.Create(value));

    [MethodImpl(Inline)] public static Simd256<T> Load(ref T source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));
    [MethodImpl(Inline)] public static unsafe Simd256<T> Load(T* source) => new(Vector256.Load(source));
    [MethodImpl(Inline)] public void Store(ref T destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(Inline)] public unsafe void Store(T* destination) => Value.Store(destination);
    public T this[int lane] { [MethodImpl(Inline)] get => Value[lane]; }

    [MethodImpl(Inline)] public static Simd256<T> operator +(Simd256<T> a, Simd256<T> b) => new(a.Value + b.Value);
    [MethodImpl(Inline)] public static Simd256<T> operator -(Simd256<T> a, Simd256<T> b) => new(a.Value - b.Value);
    [MethodImpl(Inline)] public static Simd256<T> operator *(Simd256<T> a, Simd256<T> b) => new(a.Value * b.Value);
    [MethodImpl(Inline)] public static Simd256<T> operator /(Simd256<T> a, Simd256<T> b) => new(a.Value / b.Value);
    [MethodImpl(Inline)] public static Simd256<T> operator -(Simd256<T> x) => new(-x.Value);
    [MethodImpl(Inline)] public static Simd256<T> operator &(Simd256<T> a, Simd256<T> b) => new(a.Value & b.Value);
    [MethodImpl(Inline)] public static Simd256<T> operator |(Simd256<T> a, Simd256<T> b) => new(a.Value | b.Value);

    // Compare and select in one method: the compare's result then stays a mask register (AVX-512 k)
    // feeding a masked blend, as with raw vectors. Wrapped in a struct between two calls, it would
    // be widened to a vector of ones and zeros first (measured: MaxReducer 1.5-2× slower that way).
    [MethodImpl(Inline)] public static Simd256<T> SelectGreater(Simd256<T> a, Simd256<T> b, Simd256<T> x, Simd256<T> y) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd256<T> SelectLess(Simd256<T> a, Simd256<T> b, Simd256<T> x, Simd256<T> y) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd256<T> SelectEqual(Simd256<T> a, Simd256<T> b, Simd256<T> x, Simd256<T> y) =>
        new(Vector256.ConditionalSelect(Vector256.Equals(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd256<T> SelectNaN(Simd256<T> v, Simd256<T> x, Simd256<T> y) =>
        new(Vector256.ConditionalSelect(Vector256.IsNaN(v.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd256<T> LessThan(Simd256<T> a, Simd256<T> b) => new(Vector256.LessThan(a.Value, b.Value));
    [MethodImpl(Inline)] public static Simd256<T> ConditionalSelect(Simd256<T> mask, Simd256<T> a, Simd256<T> b) =>
        new(Vector256.ConditionalSelect(mask.Value, a.Value, b.Value));

    [MethodImpl(Inline)] public static Simd256<T> Sqrt(Simd256<T> x) => new(Vector256.Sqrt(x.Value));
    [MethodImpl(Inline)] public static Simd256<T> Abs(Simd256<T> x) => new(Vector256.Abs(x.Value));
    [MethodImpl(Inline)] public static Simd256<T> Max(Simd256<T> a, Simd256<T> b) => new(Vector256.Max(a.Value, b.Value));
    [MethodImpl(Inline)] public static T Sum(Simd256<T> x) => Vector256.Sum(x.Value);

    [MethodImpl(Inline)]
    public static Simd256<T> Exp(Simd256<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Exp(x.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Exp(x.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }

    [MethodImpl(Inline)]
    public static Simd256<T> Log(Simd256<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Log(x.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Log(x.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }

    [MethodImpl(Inline)]
    public static Simd256<T> FusedMultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector256.FusedMultiplyAdd(a.Value.AsSingle(), b.Value.AsSingle(), c.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector256.FusedMultiplyAdd(a.Value.AsDouble(), b.Value.AsDouble(), c.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }
}
