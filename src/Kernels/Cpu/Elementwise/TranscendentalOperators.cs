using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Elementwise;

// Operators built on vector exp/log. They are not bitwise equal to Reference (Math.Exp is not the
// same polynomial), but agree within a few ulps; the tests pin the tolerance (ElementwiseUnaryTests).
// Special values follow the Reference formulas because the vector exp/log follow IEEE on them:
// exp(-inf) = 0, exp(+inf) = inf, log(0) = -inf, log(x < 0) = NaN, NaN in → NaN out.
// Tanh has no operator here: CpuKernels.Unary calls TensorPrimitives.Tanh (see there why).

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
    public static T Invoke(T x) => T.IsNaN(x) ? x : T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));

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
