using ILGPU;
using ILGPU.Algorithms;

namespace Scratch.Kernels.Gpu;

/// <summary>The per-step scalars of Adam, worked out on the host once per step.</summary>
internal struct AdamArguments
{
    public float Beta1, Beta2, Eps;
    public float StepSize;        // lr / (1 - beta1^t)
    public float SqrtBias2;       // sqrt(1 - beta2^t)
    public float WeightDecay;
    public float DecayFactor;     // 1 - lr·wd (AdamW), 1 otherwise
    public int Decoupled;         // 1: AdamW, 0: Adam (wd folded into the gradient)
}

/// <summary>The per-step scalars of SGD, worked out on the host once per step.</summary>
internal struct SgdArguments
{
    public float LearningRate, Momentum, OneMinusDampening, WeightDecay;
    public int FirstStep;         // 1 on step 1: the momentum buffer starts as the gradient itself
    public int Nesterov;          // 1: step along g + momentum·buf instead of buf
}

/// <summary>
/// Fused kernels for training: each is one pass over memory where composing elementwise ops
/// would take several (and keep temporaries alive). Every static method here is a kernel;
/// <see cref="FusedReference"/> holds the plain loops they are tested against.
/// </summary>
internal static class FusedKernels
{
    // One Adam/AdamW step for one parameter tensor, PyTorch's torch.optim.Adam(W) formulas:
    //   AdamW: p ← p·(1 − lr·wd)          Adam: g ← g + wd·p
    //   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
    //   p ← p − (lr / bc1) · m / (√v / √bc2 + eps),  bc = 1 − β^t
    // p, g, m, v: (n); m and v persist between steps.
    public static void AdamStep(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, AdamArguments s)
    {
        float param = p[i], grad = g[i];
        if (s.Decoupled != 0) param *= s.DecayFactor;
        else grad += s.WeightDecay * param;
        float mi = s.Beta1 * m[i] + (1.0f - s.Beta1) * grad;
        float vi = s.Beta2 * v[i] + (1.0f - s.Beta2) * grad * grad;
        m[i] = mi;
        v[i] = vi;
        p[i] = param - s.StepSize * mi / (XMath.Sqrt(vi) / s.SqrtBias2 + s.Eps);
    }

    // One SGD step, PyTorch's torch.optim.SGD formulas:
    //   g ← g + wd·p;  buf ← g on step 1, else momentum·buf + (1 − dampening)·g
    //   g ← g + momentum·buf (Nesterov) or buf;  p ← p − lr·g
    // p, g, buf: (n); buf persists between steps and is untouched when momentum is 0.
    public static void SgdStep(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> buf, SgdArguments s)
    {
        float param = p[i], grad = g[i] + s.WeightDecay * param;
        if (s.Momentum != 0.0f)
        {
            float b = s.FirstStep != 0 ? grad : s.Momentum * buf[i] + s.OneMinusDampening * grad;
            buf[i] = b;
            grad = s.Nesterov != 0 ? grad + s.Momentum * b : b;
        }
        p[i] = param - s.LearningRate * grad;
    }

    // x (logits), t (targets): (n) → loss: (n), max(x, 0) − x·t + log(1 + exp(−|x|)).
    // The stable form of −[t·log σ(x) + (1 − t)·log(1 − σ(x))]: exp never overflows.
    public static void BceWithLogits(Index1D i, ArrayView<float> x, ArrayView<float> t, ArrayView<float> loss)
    {
        float xi = x[i];
        loss[i] = XMath.Max(xi, 0.0f) - xi * t[i] + GpuMath.LogOnePlusExpNegAbs(xi);
    }

    // dloss: (n) → dx: (n), dx = dloss·(σ(x) − t): the fused gradient, simpler and stabler
    // than differentiating the three terms above one by one.
    public static void BceWithLogitsBackward(Index1D i, ArrayView<float> x, ArrayView<float> t, ArrayView<float> dloss, ArrayView<float> dx)
        => dx[i] = dloss[i] * (GpuMath.Sigmoid(x[i]) - t[i]);

    // Same, with one scale for every element (1 for a sum, 1/n for a mean).
    public static void BceWithLogitsBackwardScaled(Index1D i, ArrayView<float> x, ArrayView<float> t, float scale, ArrayView<float> dx)
        => dx[i] = scale * (GpuMath.Sigmoid(x[i]) - t[i]);

    // mu, logvar, eps: (n) → z: (n), z = mu + exp(½·logvar)·eps  (the VAE reparameterization)
    public static void Reparameterize(Index1D i, ArrayView<float> mu, ArrayView<float> logvar, ArrayView<float> eps, ArrayView<float> z)
        => z[i] = mu[i] + XMath.Exp(0.5f * logvar[i]) * eps[i];

    // dz: (n) → dlogvar: (n), dlogvar = dz·½·exp(½·logvar)·eps. (dmu = dz: no kernel needed.)
    public static void ReparameterizeBackward(Index1D i, ArrayView<float> dz, ArrayView<float> logvar, ArrayView<float> eps, ArrayView<float> dlogvar)
        => dlogvar[i] = dz[i] * 0.5f * XMath.Exp(0.5f * logvar[i]) * eps[i];

    // mu, logvar: (n) → kl: (n), −½·(1 + logvar − mu² − exp(logvar)); sum it for KL(N(mu, σ²) ‖ N(0, 1)).
    public static void KlNormal(Index1D i, ArrayView<float> mu, ArrayView<float> logvar, ArrayView<float> kl)
    {
        float m = mu[i], lv = logvar[i];
        kl[i] = -0.5f * (1.0f + lv - m * m - XMath.Exp(lv));
    }

    // dkl: (n) → dmu = dkl·mu, dlogvar = dkl·½·(exp(logvar) − 1)
    public static void KlNormalBackward(Index1D i, ArrayView<float> mu, ArrayView<float> logvar, ArrayView<float> dkl,
        ArrayView<float> dmu, ArrayView<float> dlogvar)
    {
        float d = dkl[i];
        dmu[i] = d * mu[i];
        dlogvar[i] = d * 0.5f * (XMath.Exp(logvar[i]) - 1.0f);
    }
}
