using Scratch.Autograd;
using Scratch.Kernels;

namespace Scratch.Models.Nn;

/// <summary>
/// y = x·Wᵀ + b with W: (Out, In), b: (Out) — PyTorch's layout and its default initialisation:
/// kaiming_uniform_(a = √5) gives W ~ U(−1/√In, 1/√In), and b ~ U(−1/√In, 1/√In), drawn from the
/// given engine RNG (weights first, then bias).
/// </summary>
public sealed class Linear : Layer
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Variable Weight { get; }
    public Variable? Bias { get; }

    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, DType dtype = DType.Float32)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"linear: sizes {inFeatures} → {outFeatures} must be positive");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform([outFeatures, inFeatures], -bound, bound, rng, dtype));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform([outFeatures], -bound, bound, rng, dtype));
    }

    // x: (B, In) → y: (B, Out)
    public override Variable Forward(Variable x) => Variable.Linear(x, Weight, Bias);

    /// <summary>
    /// This layer and the activation after it as one op: act(x·Wᵀ + b), the activation applied in
    /// the GEMM's epilogue (<see cref="Sequential"/> uses it for a Linear followed by ReLU or LeakyReLU).
    /// </summary>
    // x: (B, In) → y: (B, Out)
    public Variable Forward(Variable x, GemmActivation activation, double negativeSlope = 0.01) =>
        Variable.Linear(x, Weight, Bias, activation, negativeSlope);

    public override string ToString() => $"Linear({InFeatures} → {OutFeatures})";
}
