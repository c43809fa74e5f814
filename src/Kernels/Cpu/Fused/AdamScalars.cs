using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The per-step scalars of Adam/AdamW, computed once per step in double (as torch computes them in
/// Python) and rounded to T (as torch casts a Python scalar to the tensor's dtype). Shared by the
/// reference loop and the vector kernel so both see exactly the same constants.
/// </summary>
internal readonly struct AdamScalars<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool L2 { get; init; }                 // Adam: g += wd·p
    public bool Decoupled { get; init; }          // AdamW: p *= 1 - lr·wd
    public T WeightDecay { get; init; }
    public T DecayFactor { get; init; }           // 1 - lr·wd
    public bool LerpFromStart { get; init; }      // torch's lerp: start + w·(end - start) when |w| < 0.5,
    public T LerpCoefficient { get; init; }       // else end + (w - 1)·(end - start); w = 1 - b1 rounded to T
    public T Beta2 { get; init; }
    public T OneMinusBeta2 { get; init; }
    public T BiasCorrection2Sqrt { get; init; }   // sqrt(1 - b2^t)
    public T Eps { get; init; }
    public T NegStepSize { get; init; }           // -lr / (1 - b1^t)

    public static AdamScalars<T> From(T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step)
    {
        if (step < 1)
            throw new ArgumentOutOfRangeException(nameof(step), step, "AdamStep: step counts from 1.");
        double lrD = double.CreateTruncating(lr), b1 = double.CreateTruncating(beta1), b2 = double.CreateTruncating(beta2);
        double wd = double.CreateTruncating(weightDecay);
        if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), $"AdamStep: betas must be in [0, 1), got beta1={b1}, beta2={b2}.");
        double lerpWeight = 1.0 - b1;
        T w = T.CreateTruncating(lerpWeight);
        return new AdamScalars<T>
        {
            L2 = wd != 0 && !decoupled,
            Decoupled = wd != 0 && decoupled,
            WeightDecay = weightDecay,
            DecayFactor = T.CreateTruncating(1.0 - lrD * wd),
            LerpFromStart = Math.Abs(lerpWeight) < 0.5,
            LerpCoefficient = Math.Abs(lerpWeight) < 0.5 ? w : w - T.One,
            Beta2 = beta2,
            OneMinusBeta2 = T.CreateTruncating(1.0 - b2),
            BiasCorrection2Sqrt = T.CreateTruncating(Math.Sqrt(1.0 - Math.Pow(b2, step))),
            Eps = eps,
            NegStepSize = T.CreateTruncating(-(lrD / (1.0 - Math.Pow(b1, step)))),
        };
    }
}
