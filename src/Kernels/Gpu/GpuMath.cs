using ILGPU.Algorithms;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// Scalar helpers shared by the GPU operators, written so that NaN behaves as in
/// <see cref="Cpu.Reference"/>. Hardware min/max return the non-NaN operand
/// (IEEE minNum/maxNum); .NET's float.Max returns NaN, and so must we.
/// On CUDA, XMath's exp/log/pow map to the approximate special-function unit
/// (ex2.approx, lg2.approx): a few ulps, well inside what training needs.
/// </summary>
internal static class GpuMath
{
    public static float Max(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : (a > b ? a : b);

    public static float Min(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : (a < b ? a : b);

    // log(1 + e) for e = exp(-|x|), accurate when e is tiny (Kahan's trick, as the CPU reference's
    // Log1P): log(1 + e) alone rounds 1 + e to 1 and gives 0 where softplus(-48) is 1.4e-21.
    public static float LogOnePlusExpNegAbs(float x)
    {
        float e = XMath.Exp(-XMath.Abs(x));
        float u = 1.0f + e;
        return u == 1.0f ? e : XMath.Log(u) * (e / (u - 1.0f));
    }

    public static float Sigmoid(float x) => 1.0f / (1.0f + XMath.Exp(-x));

    /// <summary>
    /// Math.Pow semantics for the cases tensors meet: x^0 = 1 and 1^y = 1 even for NaN,
    /// a negative base with an integer exponent keeps its sign (x^2 of a negative x),
    /// with a fractional exponent it is NaN (but ±0 and -Inf keep |x|^y). The power itself is
    /// taken of |x|, because a GPU pow is exp2(y·log2(x)), undefined for x &lt; 0.
    /// </summary>
    public static float Pow(float x, float y)
    {
        if (y == 0.0f || x == 1.0f) return 1.0f;
        if (float.IsNaN(x) || float.IsNaN(y)) return float.NaN;
        if (XMath.Abs(x) == 1.0f && float.IsInfinity(y)) return 1.0f;   // exp2(±Inf·0) would be NaN
        float magnitude = XMath.Pow(XMath.Abs(x), y);
        // -0 counts as negative (1 / -0 = -Inf): (-0)^-3 = -Inf, as Math.Pow says.
        bool negativeBase = x < 0.0f || (x == 0.0f && 1.0f / x < 0.0f);
        if (!negativeBase) return magnitude;
        if (XMath.Floor(y) != y)
            return x == 0.0f || float.IsInfinity(x) ? magnitude : float.NaN;
        // Floats of magnitude ≥ 2^24 (and ±Inf) are all even integers.
        bool odd = XMath.Abs(y) < 16777216.0f && XMath.Floor(y * 0.5f) * 2.0f != y;
        return odd ? -magnitude : magnitude;
    }
}
