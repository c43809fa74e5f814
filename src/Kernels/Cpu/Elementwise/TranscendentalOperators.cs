using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Elementwise;

// Operators built on vector exp/log. They are not bitwise equal to Reference (Math.Exp is not the
// same polynomial), but agree within a few ulps; the tests pin the tolerance (ElementwiseUnaryTests).
// Special values follow the Reference formulas because the vector exp/log follow IEEE on them:
// exp(-inf) = 0, exp(+inf) = inf, log(0) = -inf, log(x < 0) = NaN, NaN in → NaN out.

public readonly struct ExpOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Exp(x);
    public static Vector256<T> Invoke(Vector256<T> x) => VectorMath.Exp(x);
    public static Vector512<T> Invoke(Vector512<T> x) => VectorMath.Exp(x);
}

public readonly struct LogOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Log(x);
    public static Vector256<T> Invoke(Vector256<T> x) => VectorMath.Log(x);
    public static Vector512<T> Invoke(Vector512<T> x) => VectorMath.Log(x);
}

/// <summary>1 / (1 + exp(-x)): sigmoid(+inf) = 1 (exp gives 0), sigmoid(-inf) = 0 (1/inf).</summary>
public readonly struct SigmoidOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.One / (T.One + T.Exp(-x));
    public static Vector256<T> Invoke(Vector256<T> x) => Vector256<T>.One / (Vector256<T>.One + VectorMath.Exp(-x));
    public static Vector512<T> Invoke(Vector512<T> x) => Vector512<T>.One / (Vector512<T>.One + VectorMath.Exp(-x));
}

/// <summary>
/// softplus(x) = max(x, 0) + log1p(exp(-|x|)): exp never overflows, so large |x| stays finite.
/// There is no vector log1p, and log(1 + e) would return 0 for e below one ulp of 1 (softplus(-30)
/// would be 0 instead of 9.4e-14). Goldberg's trick restores it: with u = 1 + e (rounded),
/// log1p(e) = log(u) · e / (u - 1), because the rounding error of u cancels in the ratio
/// (Goldberg 1991, "What every computer scientist should know…", Theorem 4); when u == 1, log1p(e) = e.
/// </summary>
public readonly struct SoftplusOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => Reference.Apply(UnaryOp.Softplus, x);

    public static Vector256<T> Invoke(Vector256<T> x)
    {
        var e = VectorMath.Exp(-Vector256.Abs(x));
        var u = Vector256<T>.One + e;
        var log1p = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<T>.One), e,
            VectorMath.Log(u) * (e / (u - Vector256<T>.One)));
        var y = Vector256.Max(x, Vector256<T>.Zero) + log1p;
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, y);
    }

    public static Vector512<T> Invoke(Vector512<T> x)
    {
        var e = VectorMath.Exp(-Vector512.Abs(x));
        var u = Vector512<T>.One + e;
        var log1p = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<T>.One), e,
            VectorMath.Log(u) * (e / (u - Vector512<T>.One)));
        var y = Vector512.Max(x, Vector512<T>.Zero) + log1p;
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, y);
    }
}

/// <summary>
/// tanh(x) = sign(x) · -expm1(-2|x|) / (expm1(-2|x|) + 2). Not TensorPrimitives.Tanh: measured on
/// .NET 10 it is 45 ulps off for float (147 for double) near |x| = 0.01, because it cancels in
/// (e^2x - 1). expm1 is rebuilt from exp and log by Kahan's trick: with u = e^t rounded,
/// expm1(t) = (u - 1)·t / log(u) cancels u's rounding (u == 1 → t; u - 1 == -1 → -1, so tanh(±inf) = ±1).
/// </summary>
public readonly struct TanhOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T MinusTwo = T.CreateTruncating(-2);
    private static readonly T Two = T.CreateTruncating(2);

    public static T Invoke(T x) => T.Tanh(x);

    public static Vector256<T> Invoke(Vector256<T> x)
    {
        var one = Vector256<T>.One;
        var t = Vector256.Create(MinusTwo) * Vector256.Abs(x);           // t ≤ 0, so e^t never overflows
        var u = VectorMath.Exp(t);
        var um1 = u - one;
        var em = Vector256.ConditionalSelect(Vector256.Equals(u, one), t, um1 * (t / VectorMath.Log(u)));
        em = Vector256.ConditionalSelect(Vector256.Equals(um1, -one), -one, em);
        var magnitude = -em / (em + Vector256.Create(Two));             // ≥ +0
        var signed = magnitude | (x & Vector256.Create(-T.Zero));         // copy x's sign bit
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, signed);
    }

    public static Vector512<T> Invoke(Vector512<T> x)
    {
        var one = Vector512<T>.One;
        var t = Vector512.Create(MinusTwo) * Vector512.Abs(x);
        var u = VectorMath.Exp(t);
        var um1 = u - one;
        var em = Vector512.ConditionalSelect(Vector512.Equals(u, one), t, um1 * (t / VectorMath.Log(u)));
        em = Vector512.ConditionalSelect(Vector512.Equals(um1, -one), -one, em);
        var magnitude = -em / (em + Vector512.Create(Two));
        var signed = magnitude | (x & Vector512.Create(-T.Zero));
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, signed);
    }
}
