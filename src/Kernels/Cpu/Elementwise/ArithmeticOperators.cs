using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Elementwise;

// Unary operators that are exact: each vector lane is bitwise what the scalar Reference gives.

public readonly struct NegOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => -x;
    public static Vector256<T> Invoke(Vector256<T> x) => -x;
    public static Vector512<T> Invoke(Vector512<T> x) => -x;
}

public readonly struct SquareOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => x * x;
    public static Vector256<T> Invoke(Vector256<T> x) => x * x;
    public static Vector512<T> Invoke(Vector512<T> x) => x * x;
}

public readonly struct SqrtOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // IEEE sqrt is correctly rounded in hardware, so the vector form is exact too.
    public static T Invoke(T x) => T.Sqrt(x);
    public static Vector256<T> Invoke(Vector256<T> x) => Vector256.Sqrt(x);
    public static Vector512<T> Invoke(Vector512<T> x) => Vector512.Sqrt(x);
}

public readonly struct AbsOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Abs(x);
    public static Vector256<T> Invoke(Vector256<T> x) => Vector256.Abs(x);
    public static Vector512<T> Invoke(Vector512<T> x) => Vector512.Abs(x);
}

public readonly struct ReciprocalOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // A true division, not the ~12-bit rcp14 estimate: 1/x must be exact to be tested equal.
    public static T Invoke(T x) => T.One / x;
    public static Vector256<T> Invoke(Vector256<T> x) => Vector256<T>.One / x;
    public static Vector512<T> Invoke(Vector512<T> x) => Vector512<T>.One / x;
}

/// <summary>-1, 0 or +1; +0 for ±0; NaN stays NaN (as Reference: the derivative of Abs).</summary>
public readonly struct SignOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.IsNaN(x) ? x : T.CreateTruncating(T.Sign(x));

    public static Vector256<T> Invoke(Vector256<T> x)
    {
        // The two masks never overlap, so OR-ing +1 and -1 under them gives one or the other.
        var sign = (Vector256.GreaterThan(x, Vector256<T>.Zero) & Vector256<T>.One)
                 | (Vector256.LessThan(x, Vector256<T>.Zero) & -Vector256<T>.One);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, sign);
    }

    public static Vector512<T> Invoke(Vector512<T> x)
    {
        var sign = (Vector512.GreaterThan(x, Vector512<T>.Zero) & Vector512<T>.One)
                 | (Vector512.LessThan(x, Vector512<T>.Zero) & -Vector512<T>.One);
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, sign);
    }
}

/// <summary>max(x, 0) that keeps NaN (a plain vector max would turn NaN into 0 and hide a bug upstream).</summary>
public readonly struct ReluOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero);

    // keep = x > 0 or x is NaN; everything else (including -0) becomes +0.
    public static Vector256<T> Invoke(Vector256<T> x) =>
        x & (Vector256.GreaterThan(x, Vector256<T>.Zero) | Vector256.IsNaN(x));

    public static Vector512<T> Invoke(Vector512<T> x) =>
        x & (Vector512.GreaterThan(x, Vector512<T>.Zero) | Vector512.IsNaN(x));
}
