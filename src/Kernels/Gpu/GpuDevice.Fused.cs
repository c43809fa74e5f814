using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

using View = ArrayView<float>;

// Launchers of the fused training kernels (FusedKernels); FusedReference states each formula.
public sealed partial class GpuDevice
{
    private Action<Index1D, View, View, View, View, AdamArguments>? _adam;
    private Action<Index1D, View, View, View, SgdArguments>? _sgd;
    private Action<Index1D, View, View, View>? _bce, _kl;
    private Action<Index1D, View, View, View, View>? _bceBackward, _reparameterize, _reparameterizeBackward;
    private Action<Index1D, View, View, float, View>? _bceBackwardScaled;
    private Action<Index1D, View, View, View, View, View>? _klBackward;

    /// <summary>
    /// One Adam (decoupled = false) or AdamW (decoupled = true) step, in place on p, m, v;
    /// t is the step number, starting at 1. PyTorch's formulas; see FusedKernels.AdamStep.
    /// </summary>
    public void AdamStep(View p, View g, View m, View v,
        float lr, float beta1, float beta2, float eps, float weightDecay, bool decoupled, int t)
    {
        CheckSameLength("AdamStep", p.Length, g.Length, "g");
        CheckSameLength("AdamStep", p.Length, m.Length, "m");
        CheckSameLength("AdamStep", p.Length, v.Length, "v");
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), $"GpuDevice.AdamStep: step t={t}; steps count from 1.");
        if (p.Length == 0) return;
        // Bias corrections in double on the host, as PyTorch computes them in Python floats.
        double bias1 = 1 - Math.Pow(beta1, t), bias2 = 1 - Math.Pow(beta2, t);
        var arguments = new AdamArguments
        {
            Beta1 = beta1, Beta2 = beta2, Eps = eps,
            StepSize = (float)(lr / bias1), SqrtBias2 = (float)Math.Sqrt(bias2),
            WeightDecay = weightDecay, DecayFactor = 1 - lr * weightDecay, Decoupled = decoupled ? 1 : 0,
        };
        _adam ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View, AdamArguments>(FusedKernels.AdamStep);
        _adam(p.IntExtent, p, g, m, v, arguments);
    }

    /// <summary>
    /// One SGD step (momentum, dampening, weight decay, Nesterov), in place on p and buf;
    /// t is the step number, starting at 1. PyTorch's formulas; see FusedKernels.SgdStep.
    /// With momentum 0, buf is never read or written.
    /// </summary>
    public void SgdStep(View p, View g, View buf,
        float lr, float momentum, float dampening, float weightDecay, bool nesterov, int t)
    {
        CheckSameLength("SgdStep", p.Length, g.Length, "g");
        CheckSameLength("SgdStep", p.Length, buf.Length, "buf");
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), $"GpuDevice.SgdStep: step t={t}; steps count from 1.");
        if (p.Length == 0) return;
        var arguments = new SgdArguments
        {
            LearningRate = lr, Momentum = momentum, OneMinusDampening = 1 - dampening, WeightDecay = weightDecay,
            FirstStep = t == 1 ? 1 : 0, Nesterov = nesterov ? 1 : 0,
        };
        _sgd ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, SgdArguments>(FusedKernels.SgdStep);
        _sgd(p.IntExtent, p, g, buf, arguments);
    }

    /// <summary>
    /// logits x: (n), targets t: (n) → loss: (n), loss = max(x, 0) − x·t + ln(1 + e^−|x|): binary
    /// cross-entropy per element, in a form whose exp never overflows. Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).
    /// </summary>
    public void BceWithLogits(View x, View t, View loss)
    {
        CheckElementwise("BceWithLogits", x, (t, "t"), (loss, "loss"));
        if (x.Length == 0) return;
        _bce ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View>(FusedKernels.BceWithLogits);
        _bce(x.IntExtent, x, t, loss);
    }

    /// <summary>x, t, dloss: (n) → dx: (n), dx = dloss·(σ(x) − t): the gradient of <see cref="BceWithLogits"/>. Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).</summary>
    public void BceWithLogitsBackward(View x, View t, View dloss, View dx)
    {
        CheckElementwise("BceWithLogitsBackward", x, (t, "t"), (dloss, "dloss"), (dx, "dx"));
        if (x.Length == 0) return;
        _bceBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View>(FusedKernels.BceWithLogitsBackward);
        _bceBackward(x.IntExtent, x, t, dloss, dx);
    }

    /// <summary>
    /// x, t: (n) → dx: (n), dx = scale·(σ(x) − t): the gradient of the summed (scale 1) or mean (scale 1/n)
    /// loss of <see cref="BceWithLogits"/>. Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).
    /// </summary>
    public void BceWithLogitsBackward(View x, View t, float scale, View dx)
    {
        CheckElementwise("BceWithLogitsBackward", x, (t, "t"), (dx, "dx"));
        if (x.Length == 0) return;
        _bceBackwardScaled ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, float, View>(FusedKernels.BceWithLogitsBackwardScaled);
        _bceBackwardScaled(x.IntExtent, x, t, scale, dx);
    }

    /// <summary>mu, logvar, eps: (n) → z: (n), z = mu + exp(½·logvar)·eps: a VAE's reparameterised sample. Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).</summary>
    public void Reparameterize(View mu, View logvar, View eps, View z)
    {
        CheckElementwise("Reparameterize", mu, (logvar, "logvar"), (eps, "eps"), (z, "z"));
        if (mu.Length == 0) return;
        _reparameterize ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View>(FusedKernels.Reparameterize);
        _reparameterize(mu.IntExtent, mu, logvar, eps, z);
    }

    /// <summary>dz, logvar, eps: (n) → dlogvar: (n), dlogvar = dz·½·exp(½·logvar)·eps; the gradient of mu is dz itself. Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).</summary>
    public void ReparameterizeBackward(View dz, View logvar, View eps, View dlogvar)
    {
        CheckElementwise("ReparameterizeBackward", dz, (logvar, "logvar"), (eps, "eps"), (dlogvar, "dlogvar"));
        if (dz.Length == 0) return;
        _reparameterizeBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View>(FusedKernels.ReparameterizeBackward);
        _reparameterizeBackward(dz.IntExtent, dz, logvar, eps, dlogvar);
    }

    /// <summary>
    /// mu, logvar: (n) → kl: (n), kl = −½·(1 + logvar − mu² − exp(logvar)): KL(N(mu, exp(logvar)) ‖ N(0, 1))
    /// per element. Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).
    /// </summary>
    public void KlNormal(View mu, View logvar, View kl)
    {
        CheckElementwise("KlNormal", mu, (logvar, "logvar"), (kl, "kl"));
        if (mu.Length == 0) return;
        _kl ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View>(FusedKernels.KlNormal);
        _kl(mu.IntExtent, mu, logvar, kl);
    }

    /// <summary>mu, logvar, dkl: (n) → dmu, dlogvar: (n), dmu = dkl·mu, dlogvar = dkl·½·(exp(logvar) − 1). Throws <see cref="ArgumentException"/> unless every view has one length (at most int.MaxValue).</summary>
    public void KlNormalBackward(View mu, View logvar, View dkl, View dmu, View dlogvar)
    {
        CheckElementwise("KlNormalBackward", mu, (logvar, "logvar"), (dkl, "dkl"), (dmu, "dmu"), (dlogvar, "dlogvar"));
        if (mu.Length == 0) return;
        _klBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View, View>(FusedKernels.KlNormalBackward);
        _klBackward(mu.IntExtent, mu, logvar, dkl, dmu, dlogvar);
    }

    private static void CheckElementwise(string op, View first, params ReadOnlySpan<(View View, string Name)> others)
    {
        CheckIndexable(op, first.Length, "input");
        foreach (var (view, name) in others) CheckSameLength(op, first.Length, view.Length, name);
    }
}
