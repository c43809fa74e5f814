using System.Numerics;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Elementwise;

// Unary operators that are exact: each vector lane is bitwise what the scalar Reference gives.

internal readonly struct NegOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => -x;
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => -x;
}

internal readonly struct SquareOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => x * x;
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => x * x;
}

internal readonly struct SqrtOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // IEEE sqrt is correctly rounded in hardware, so the vector form is exact too.
    public static T Invoke(T x) => T.Sqrt(x);
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => TV.Sqrt(x);
}

internal readonly struct AbsOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Abs(x);
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => TV.Abs(x);
}

internal readonly struct ReciprocalOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // A true division, not the ~12-bit rcp14 estimate: 1/x must be exact to be tested equal.
    public static T Invoke(T x) => T.One / x;
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => TV.One / x;
}

/// <summary>-1, 0 or +1; +0 for ±0; NaN stays NaN (as Reference: the derivative of Abs).</summary>
internal readonly struct SignOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.IsNaN(x) ? x : T.CreateTruncating(T.Sign(x));

    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T>
    {
        // +1 where x > 0, else -1 where x < 0, else +0 (±0, and NaN, which the last select passes through).
        var sign = TV.SelectGreater(x, TV.Zero, TV.One, TV.SelectLess(x, TV.Zero, -TV.One, TV.Zero));
        return TV.SelectNaN(x, x, sign);
    }
}

/// <summary>max(x, 0) that keeps NaN (a plain vector max would turn NaN into 0 and hide a bug upstream).</summary>
internal readonly struct ReluOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero);

    // x where x > 0 or x is NaN; everything else (including -0) becomes +0.
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> =>
        TV.SelectGreater(x, TV.Zero, x, TV.SelectNaN(x, x, TV.Zero));
}
