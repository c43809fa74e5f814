namespace Scratch.Kernels.Gpu;

/// <summary>
/// The plain loops the fused GPU kernels are tested against, float32 like the GPU, written
/// from the formulas (PyTorch's) and nothing else. Not fast; not used by the GPU path.
/// </summary>
internal static class FusedReference
{
    /// <summary>One Adam (decoupled = false) or AdamW (decoupled = true) step at step number t ≥ 1.</summary>
    public static void AdamStep(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float lr, float beta1, float beta2, float eps, float weightDecay, bool decoupled, int t)
    {
        double bias1 = 1 - Math.Pow(beta1, t), bias2 = 1 - Math.Pow(beta2, t);
        float stepSize = (float)(lr / bias1), sqrtBias2 = (float)Math.Sqrt(bias2);
        for (int i = 0; i < p.Length; i++)
        {
            float param = p[i], grad = g[i];
            if (decoupled) param *= 1 - lr * weightDecay;
            else grad += weightDecay * param;
            m[i] = beta1 * m[i] + (1 - beta1) * grad;
            v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
            p[i] = param - stepSize * m[i] / (MathF.Sqrt(v[i]) / sqrtBias2 + eps);
        }
    }

    /// <summary>One SGD step at step number t ≥ 1 (buf untouched when momentum is 0).</summary>
    public static void SgdStep(Span<float> p, ReadOnlySpan<float> g, Span<float> buf,
        float lr, float momentum, float dampening, float weightDecay, bool nesterov, int t)
    {
        for (int i = 0; i < p.Length; i++)
        {
            float grad = g[i] + weightDecay * p[i];
            if (momentum != 0)
            {
                buf[i] = t == 1 ? grad : momentum * buf[i] + (1 - dampening) * grad;
                grad = nesterov ? grad + momentum * buf[i] : buf[i];
            }
            p[i] -= lr * grad;
        }
    }

    public static void BceWithLogits(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> loss)
    {
        for (int i = 0; i < x.Length; i++)
            loss[i] = MathF.Max(x[i], 0) - x[i] * t[i] + Cpu.Reference.Log1P(MathF.Exp(-MathF.Abs(x[i])));
    }

    public static void BceWithLogitsBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> t, ReadOnlySpan<float> dloss, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] = dloss[i] * (1 / (1 + MathF.Exp(-x[i])) - t[i]);
    }

    public static void Reparameterize(ReadOnlySpan<float> mu, ReadOnlySpan<float> logvar, ReadOnlySpan<float> eps, Span<float> z)
    {
        for (int i = 0; i < mu.Length; i++) z[i] = mu[i] + MathF.Exp(0.5f * logvar[i]) * eps[i];
    }

    public static void ReparameterizeBackward(ReadOnlySpan<float> dz, ReadOnlySpan<float> logvar, ReadOnlySpan<float> eps, Span<float> dlogvar)
    {
        for (int i = 0; i < dz.Length; i++) dlogvar[i] = dz[i] * 0.5f * MathF.Exp(0.5f * logvar[i]) * eps[i];
    }

    public static void KlNormal(ReadOnlySpan<float> mu, ReadOnlySpan<float> logvar, Span<float> kl)
    {
        for (int i = 0; i < mu.Length; i++) kl[i] = -0.5f * (1 + logvar[i] - mu[i] * mu[i] - MathF.Exp(logvar[i]));
    }

    public static void KlNormalBackward(ReadOnlySpan<float> mu, ReadOnlySpan<float> logvar, ReadOnlySpan<float> dkl,
        Span<float> dmu, Span<float> dlogvar)
    {
        for (int i = 0; i < mu.Length; i++)
        {
            dmu[i] = dkl[i] * mu[i];
            dlogvar[i] = dkl[i] * 0.5f * (MathF.Exp(logvar[i]) - 1);
        }
    }
}
