using Scratch.Autograd;

namespace Scratch.AutogradTests;

// Deterministic float64 inputs for gradient checks.
internal static class Inputs
{
    public static Tensor Normal(ulong seed, params int[] shape) => Tensor.Randn(shape, new Rng(seed), DType.Float64);

    /// <summary>Values in [lo, hi): away from kinks and domain edges (log, sqrt, abs at 0).</summary>
    public static Tensor Uniform(ulong seed, double lo, double hi, params int[] shape) =>
        Tensor.Uniform(shape, lo, hi, new Rng(seed), DType.Float64);

    /// <summary>Normal values pushed at least <paramref name="gap"/> away from 0 (for relu, abs).</summary>
    public static Tensor AwayFromZero(ulong seed, double gap, params int[] shape)
    {
        var values = Normal(seed, shape).ToArray<double>().Select(v => v >= 0 ? v + gap : v - gap).ToArray();
        return Tensor.FromArray(values, shape);
    }

    public static void Check(string op, Func<Variable[], Variable> f, params Tensor[] inputs) =>
        GradCheck.Check(op, f, inputs);
}
