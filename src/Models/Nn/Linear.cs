using Scratch.Autograd;
using Scratch.Kernels;

namespace Scratch.Models.Nn;

/// <summary>
/// y = x·Wᵀ + b with W: (Out, In), b: (Out) — PyTorch's layout and its default initialisation:
/// kaiming_uniform_(a = √5) gives W ~ U(−1/√In, 1/√In), and b ~ U(−1/√In, 1/√In), drawn from the
/// given engine RNG (weights first, then bias). torch.nn.Linear.
/// </summary>
public sealed class Linear : Layer
{
    /// <summary>In: the size of each input row.</summary>
    public int InFeatures { get; }
    /// <summary>Out: the size of each output row.</summary>
    public int OutFeatures { get; }
    /// <summary>W: (Out, In), the parameter "weight".</summary>
    public Variable Weight { get; }
    /// <summary>b: (Out), the parameter "bias"; null when built with bias: false.</summary>
    public Variable? Bias { get; }

    /// <summary>A dense layer In → Out, initialised as PyTorch's (see the class summary).</summary>
    /// <param name="inFeatures">In, the input width.</param>
    /// <param name="outFeatures">Out, the output width.</param>
    /// <param name="rng">The engine RNG the initial weights (then bias) are drawn from.</param>
    /// <param name="bias">Whether to learn an additive bias b.</param>
    /// <param name="dtype">The parameters' element type.</param>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
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

    /// <summary>y = x·Wᵀ + b: x: (B, In) → y: (B, Out).</summary>
    /// <exception cref="ArgumentException">x is not 2-D with In columns, or its dtype or device differs from the weight's.</exception>
    public override Variable Forward(Variable x) => Variable.Linear(x, Weight, Bias);

    /// <summary>
    /// This layer and the activation after it as one op: act(x·Wᵀ + b), the activation applied in
    /// the GEMM's epilogue (<see cref="Sequential"/> uses it for a Linear followed by ReLU or LeakyReLU).
    /// x: (B, In) → y: (B, Out).
    /// </summary>
    /// <exception cref="ArgumentException">x does not fit (B, In), or a leaky ReLU has a negative slope.</exception>
    public Variable Forward(Variable x, GemmActivation activation, double negativeSlope = 0.01) =>
        Variable.Linear(x, Weight, Bias, activation, negativeSlope);

    /// <summary>"Linear(In → Out)", as printed in a model summary.</summary>
    public override string ToString() => $"Linear({InFeatures} → {OutFeatures})";
}
