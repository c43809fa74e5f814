using System.Numerics;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Elementwise;

// Operators built on vector exp/log. They are not bitwise equal to Reference (Math.Exp is not the
// same polynomial), but agree within a few ulps; the tests pin the tolerance (ElementwiseUnaryTests).
// Special values follow the Reference formulas because the vector exp/log follow IEEE on them:
// exp(-inf) = 0, exp(+inf) = inf, log(0) = -inf, log(x < 0) = NaN, NaN in → NaN out.

internal readonly struct ExpOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Exp(x);
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => TV.Exp(x);
}

internal readonly struct LogOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Log(x);
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => TV.Log(x);
}

/// <summary>1 / (1 + exp(-x)): sigmoid(+inf) = 1 (exp gives 0), sigmoid(-inf) = 0 (1/inf).</summary>
internal readonly struct SigmoidOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.One / (T.One + T.Exp(-x));
    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T> => TV.One / (TV.One + TV.Exp(-x));
}

/// <summary>
/// softplus(x) = max(x, 0) + log1p(exp(-|x|)): exp never overflows, so large |x| stays finite.
/// There is no vector log1p, and log(1 + e) would return 0 for e below one ulp of 1 (softplus(-30)
/// would be 0 instead of 9.4e-14). Goldberg's trick restores it: with u = 1 + e (rounded),
/// log1p(e) = log(u) · e / (u - 1), because the rounding error of u cancels in the ratio
/// (Goldberg 1991, "What every computer scientist should know…", Theorem 4); when u == 1, log1p(e) = e.
/// </summary>
internal readonly struct SoftplusOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => Reference.Apply(UnaryOp.Softplus, x);

    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T>
    {
        var e = TV.Exp(-TV.Abs(x));
        var u = TV.One + e;
        var log1p = TV.SelectEqual(u, TV.One, e,
            TV.Log(u) * (e / (u - TV.One)));
        var y = TV.Max(x, TV.Zero) + log1p;
        return TV.SelectNaN(x, x, y);
    }
}

/// <summary>
/// tanh(x) = sign(x) · -em / (em + 2) with em = expm1(-2|x|). Not TensorPrimitives.Tanh: measured on
/// .NET 10 it is 45 ulps off for float (147 for double) near |x| = 0.01, because it cancels in
/// (e^2x - 1). expm1(t), t = -2|x| ≤ 0, is computed two ways and picked per lane:
///  - |t| &lt; 0.7: the Taylor series t + t²/2! + … + tᴺ/N! (Horner), N = 16 for double, 9 for float.
///    The first dropped term is below 2e-17 (double) or 2e-8 (float) relative: below the arithmetic's error;
///  - |t| ≥ 0.7: e^t - 1, where u = e^t ≤ 0.5 and u - 1 is in [-1, -0.5]: no cancellation.
/// Measured within 3 ulps of Math.Tanh (tests allow 5). tanh(±inf) = ±1 (e^-inf = 0), -0 stays -0, NaN stays NaN.
/// </summary>
internal readonly struct TanhOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T MinusTwo = T.CreateTruncating(-2);
    private static readonly T Two = T.CreateTruncating(2);
    private static readonly T SeriesLimit = T.CreateTruncating(0.7);
    // 1/n! for n = 16 down to 2, as T.
    private static readonly T C16 = InverseFactorial(16), C15 = InverseFactorial(15), C14 = InverseFactorial(14),
        C13 = InverseFactorial(13), C12 = InverseFactorial(12), C11 = InverseFactorial(11), C10 = InverseFactorial(10),
        C9 = InverseFactorial(9), C8 = InverseFactorial(8), C7 = InverseFactorial(7), C6 = InverseFactorial(6),
        C5 = InverseFactorial(5), C4 = InverseFactorial(4), C3 = InverseFactorial(3), C2 = InverseFactorial(2);

    private static T InverseFactorial(int n)
    {
        double f = 1;
        for (int k = 2; k <= n; k++) f *= k; // exact in double up to 18!
        return T.CreateTruncating(1.0 / f);
    }

    public static T Invoke(T x) => T.Tanh(x);

    public static TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T>
    {
        var one = TV.One;
        var t = TV.Create(MinusTwo) * TV.Abs(x);            // t ≤ 0, so e^t never overflows
        var p = TV.Create(C9);
        if (typeof(T) == typeof(double))
        {
            p = TV.Create(C16);
            p = p * t + TV.Create(C15); p = p * t + TV.Create(C14); p = p * t + TV.Create(C13);
            p = p * t + TV.Create(C12); p = p * t + TV.Create(C11); p = p * t + TV.Create(C10);
            p = p * t + TV.Create(C9);
        }
        p = p * t + TV.Create(C8); p = p * t + TV.Create(C7);
        p = p * t + TV.Create(C6); p = p * t + TV.Create(C5); p = p * t + TV.Create(C4);
        p = p * t + TV.Create(C3); p = p * t + TV.Create(C2); p = p * t + one;
        var series = p * t;
        var em = TV.SelectLess(t, TV.Create(-SeriesLimit), TV.Exp(t) - one, series);
        var magnitude = -em / (em + TV.Create(Two));              // ≥ +0
        var signed = magnitude | (x & TV.Create(-T.Zero));          // copy x's sign bit
        return TV.SelectNaN(x, x, signed);
    }
}
