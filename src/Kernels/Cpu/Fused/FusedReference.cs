using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The oracle for the fused kernels (CpuKernels.AddBiasRows, Axpy, AdamStep, SgdStep): plain loops,
/// one element at a time, each operation in the order PyTorch's vectorized CPU code performs it, so the
/// rounding is the same. Where ATen uses a fused multiply-add, so do we: `add(x, other, alpha)` is
/// vec::fmadd(other, alpha, x) (ATen/native/ufunc/add.h) and lerp is fmadd(w, end - start, start)
/// (ATen/native/Lerp.h, lerp_vec). FMA is correctly rounded, so scalar and vector FMA agree bitwise,
/// and the fast versions are tested bitwise equal to these loops.
/// </summary>
public static class FusedReference
{
    /// <summary>y: (rows, cols), bias: (cols); y[r, c] += bias[c] in place. No checks: a short span throws IndexOutOfRangeException.</summary>
    public static void AddBiasRows<T>(Span<T> y, ReadOnlySpan<T> bias, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            y[r * cols + c] += bias[c];
    }

    /// <summary>y: (rows, cols), bias: (cols); y[r, c] = relu(y[r, c] + bias[c]) in place, NaN kept (as Reference's Relu). No checks: a short span throws IndexOutOfRangeException.</summary>
    public static void AddBiasRelu<T>(Span<T> y, ReadOnlySpan<T> bias, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            y[r * cols + c] = Reference.Apply(UnaryOp.Relu, y[r * cols + c] + bias[c]);
    }

    /// <summary>x: (n), y: (n); y[i] = fma(x[i], alpha, y[i]), one rounding, as torch's y.add_(x, alpha=alpha). No checks: a short span throws IndexOutOfRangeException.</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.FusedMultiplyAdd(x[i], alpha, y[i]);
    }

    /// <summary>
    /// One torch.optim.Adam step (decoupled = false; weight decay is L2: g += wd·p) or AdamW step
    /// (decoupled = true: p *= 1 - lr·wd), as torch's single-tensor CPU path computes it:
    ///   g = fma(p, wd, g)                           (Adam only: grad.add(param, alpha=wd))
    ///   m = m.lerp(g, 1 - b1)                       (= b1·m + (1 - b1)·g up to rounding)
    ///   v = v·b2 + ((1 - b2)·g)·g                   (mul_ then addcmul_)
    ///   denom = sqrt(v) / sqrt(1 - b2^t) + eps
    ///   p = p + (-(lr / (1 - b1^t))·m) / denom     (addcdiv_)
    /// Scalars (1 - b1, lr / bias_correction1, ...) are computed in double, as Python does, then rounded to T.
    /// step is t, counted from 1.
    /// </summary>
    public static void AdamStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v,
        T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = AdamScalars<T>.From(lr, beta1, beta2, eps, weightDecay, decoupled, step);
        for (int i = 0; i < param.Length; i++)
        {
            T p = param[i], g = grad[i];
            if (k.L2) g = T.FusedMultiplyAdd(p, k.WeightDecay, g);
            if (k.Decoupled) p = p * k.DecayFactor;
            // lerp(start = m, end = g, w): fma(w, g - m, m) for w < 0.5, else fma(w - 1, g - m, g).
            m[i] = T.FusedMultiplyAdd(k.LerpCoefficient, g - m[i], k.LerpFromStart ? m[i] : g);
            v[i] = v[i] * k.Beta2 + (k.OneMinusBeta2 * g) * g;
            T denom = T.Sqrt(v[i]) / k.BiasCorrection2Sqrt + k.Eps;
            param[i] = p + (k.NegStepSize * m[i]) / denom;
        }
    }

    /// <summary>
    /// One torch.optim.SGD step (maximize = false), single-tensor path:
    ///   g = fma(p, wd, g)                                   (if wd ≠ 0)
    ///   buf = g on the first step (step == 1), else buf = fma(g, 1 - dampening, buf·momentum)   (if momentum ≠ 0)
    ///   g = nesterov ? fma(buf, momentum, g) : buf          (if momentum ≠ 0)
    ///   p = fma(g, -lr, p)
    /// momentumBuffer is untouched (may be empty) when momentum is 0.
    /// </summary>
    public static void SgdStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer,
        T lr, T momentum, T dampening, T weightDecay, bool nesterov, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = -lr;
        T oneMinusDampening = T.CreateTruncating(1.0 - double.CreateTruncating(dampening));
        for (int i = 0; i < param.Length; i++)
        {
            T g = grad[i];
            if (weightDecay != T.Zero) g = T.FusedMultiplyAdd(param[i], weightDecay, g);
            if (momentum != T.Zero)
            {
                T buf = step == 1 ? g : T.FusedMultiplyAdd(g, oneMinusDampening, momentumBuffer[i] * momentum);
                momentumBuffer[i] = buf;
                g = nesterov ? T.FusedMultiplyAdd(buf, momentum, g) : buf;
            }
            param[i] = T.FusedMultiplyAdd(g, negLr, param[i]);
        }
    }

    /// <summary>
    /// logits x: (n), target t: (n) → Σ_i max(x, 0) − x·t + ln(1 + e^−|x|): the summed binary cross-entropy
    /// −[t·ln σ(x) + (1 − t)·ln(1 − σ(x))] in a form whose exp never overflows. No checks: a short span throws IndexOutOfRangeException.
    /// </summary>
    // ln(1 + ·) is Reference.Log1P, not T.LogP1, which .NET computes as Log(1 + e) and so returns 0
    // once e^−|x| is below one ulp of 1.
    public static T BceWithLogitsSum<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int i = 0; i < logits.Length; i++)
        {
            T x = logits[i];
            total += T.Max(x, T.Zero) - x * target[i] + Reference.Log1P(T.Exp(-T.Abs(x)));
        }
        return total;
    }

    /// <summary>
    /// logits x: (n), target t: (n) → grad: (n), grad = (σ(x) − t)·scale: the gradient of
    /// <see cref="BceWithLogitsSum{T}"/> times scale (1/n for the mean). No checks: a short span throws IndexOutOfRangeException.
    /// </summary>
    public static void BceWithLogitsBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, T scale, Span<T> grad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < logits.Length; i++)
            grad[i] = (Reference.Apply(UnaryOp.Sigmoid, logits[i]) - target[i]) * scale;
    }
}
