using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Simd;

/// <summary>
/// A Vector128&lt;T&gt; as an <see cref="ISimd{TSelf, T}"/>: SSE or NEON, 4 floats. Each member is the one
/// Vector128 operation it names; AggressiveInlining keeps the wrapper out of the generated code (a
/// kernel's loop body is large, and the JIT would otherwise stop inlining these small calls in it).
/// </summary>
internal readonly struct Simd128<T>(Vector128<T> value) : ISimd<Simd128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    public readonly Vector128<T> Value = value;

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    public static int Count => Vector128<T>.Count;
    public static Simd128<T> Zero => new(Vector128<T>.Zero);
    public static Simd128<T> One => new(Vector128<T>.One);
    public static Simd128<T> Indices => new(Vector128<T>.Indices);
    [MethodImpl(Inline)] public static Simd128<T> Create(T value) => new(Vector128.Create(value));

    [MethodImpl(Inline)] public static Simd128<T> Load(ref T source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));
    [MethodImpl(Inline)] public static unsafe Simd128<T> Load(T* source) => new(Vector128.Load(source));
    [MethodImpl(Inline)] public void Store(ref T destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(Inline)] public unsafe void Store(T* destination) => Value.Store(destination);
    public T this[int lane] { [MethodImpl(Inline)] get => Value[lane]; }

    [MethodImpl(Inline)] public static Simd128<T> operator +(Simd128<T> a, Simd128<T> b) => new(a.Value + b.Value);
    [MethodImpl(Inline)] public static Simd128<T> operator -(Simd128<T> a, Simd128<T> b) => new(a.Value - b.Value);
    [MethodImpl(Inline)] public static Simd128<T> operator *(Simd128<T> a, Simd128<T> b) => new(a.Value * b.Value);
    [MethodImpl(Inline)] public static Simd128<T> operator /(Simd128<T> a, Simd128<T> b) => new(a.Value / b.Value);
    [MethodImpl(Inline)] public static Simd128<T> operator -(Simd128<T> x) => new(-x.Value);
    [MethodImpl(Inline)] public static Simd128<T> operator &(Simd128<T> a, Simd128<T> b) => new(a.Value & b.Value);
    [MethodImpl(Inline)] public static Simd128<T> operator |(Simd128<T> a, Simd128<T> b) => new(a.Value | b.Value);

    // Compare and select in one method: the compare's result then stays a mask register (AVX-512 k)
    // feeding a masked blend, as with raw vectors. Wrapped in a struct between two calls, it would
    // be widened to a vector of ones and zeros first (measured: MaxReducer 1.5-2× slower that way).
    [MethodImpl(Inline)] public static Simd128<T> SelectGreater(Simd128<T> a, Simd128<T> b, Simd128<T> x, Simd128<T> y) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd128<T> SelectLess(Simd128<T> a, Simd128<T> b, Simd128<T> x, Simd128<T> y) =>
        new(Vector128.ConditionalSelect(Vector128.LessThan(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd128<T> SelectEqual(Simd128<T> a, Simd128<T> b, Simd128<T> x, Simd128<T> y) =>
        new(Vector128.ConditionalSelect(Vector128.Equals(a.Value, b.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd128<T> SelectNaN(Simd128<T> v, Simd128<T> x, Simd128<T> y) =>
        new(Vector128.ConditionalSelect(Vector128.IsNaN(v.Value), x.Value, y.Value));
    [MethodImpl(Inline)] public static Simd128<T> LessThan(Simd128<T> a, Simd128<T> b) => new(Vector128.LessThan(a.Value, b.Value));
    [MethodImpl(Inline)] public static Simd128<T> ConditionalSelect(Simd128<T> mask, Simd128<T> a, Simd128<T> b) =>
        new(Vector128.ConditionalSelect(mask.Value, a.Value, b.Value));

    [MethodImpl(Inline)] public static Simd128<T> Sqrt(Simd128<T> x) => new(Vector128.Sqrt(x.Value));
    [MethodImpl(Inline)] public static Simd128<T> Abs(Simd128<T> x) => new(Vector128.Abs(x.Value));
    [MethodImpl(Inline)] public static Simd128<T> Max(Simd128<T> a, Simd128<T> b) => new(Vector128.Max(a.Value, b.Value));
    [MethodImpl(Inline)] public static T Sum(Simd128<T> x) => Vector128.Sum(x.Value);

    [MethodImpl(Inline)]
    public static Simd128<T> Exp(Simd128<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Exp(x.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Exp(x.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }

    [MethodImpl(Inline)]
    public static Simd128<T> Log(Simd128<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Log(x.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Log(x.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }

    [MethodImpl(Inline)]
    public static Simd128<T> FusedMultiplyAdd(Simd128<T> a, Simd128<T> b, Simd128<T> c)
    {
        if (typeof(T) == typeof(float))
            return new(Vector128.FusedMultiplyAdd(a.Value.AsSingle(), b.Value.AsSingle(), c.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector128.FusedMultiplyAdd(a.Value.AsDouble(), b.Value.AsDouble(), c.Value.AsDouble()).As<double, T>());
        throw SimdSupport.FloatOrDoubleOnly<T>();
    }
}
