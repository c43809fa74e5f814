using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>
/// torch.nn.Conv2d (groups = 1, zero padding): x (N, InChannels, H, W) → (N, OutChannels, OH, OW).
/// Weight (OutChannels, InChannels, KH, KW), bias (OutChannels). PyTorch's initialisation:
/// kaiming_uniform_(a = √5) gives weight ~ U(−1/√fan_in, 1/√fan_in) with fan_in = InChannels·KH·KW,
/// and bias ~ U(−1/√fan_in, 1/√fan_in); drawn from the given engine RNG (weight first, then bias).
/// </summary>
public sealed class Conv2d : Layer
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public Size2 KernelSize { get; }
    public Size2 Stride { get; }
    public Size2 Padding { get; }
    public Size2 Dilation { get; }
    public Variable Weight { get; }
    public Variable? Bias { get; }

    public Conv2d(int inChannels, int outChannels, Size2 kernelSize, Rng rng, Size2? stride = null, Size2? padding = null,
        Size2? dilation = null, bool bias = true, DType dtype = DType.Float32)
    {
        ConvInit.CheckSizes("Conv2d", inChannels, outChannels, kernelSize);
        (InChannels, OutChannels, KernelSize) = (inChannels, outChannels, kernelSize);
        (Stride, Padding, Dilation) = (stride ?? 1, padding ?? 0, dilation ?? 1);
        double bound = ConvInit.Bound(inChannels, kernelSize);
        Weight = RegisterParameter("weight", Tensor.Uniform([outChannels, inChannels, kernelSize.H, kernelSize.W], -bound, bound, rng, dtype));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform([outChannels], -bound, bound, rng, dtype));
    }

    public override Variable Forward(Variable x) => Variable.Conv2d(x, Weight, Bias, Stride, Padding, Dilation);

    public override string ToString() =>
        $"Conv2d({InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}{(Dilation == new Size2(1, 1) ? "" : $", dilation={Dilation}")})";
}

/// <summary>
/// torch.nn.ConvTranspose2d (groups = 1): x (N, InChannels, H, W) → (N, OutChannels, OH, OW) with
/// OH = (H − 1)·stride − 2·padding + dilation·(KH − 1) + output_padding + 1. Weight
/// (InChannels, OutChannels, KH, KW) — PyTorch's layout, the transpose of Conv2d's — and bias
/// (OutChannels). Initialised as PyTorch does: its fan_in is computed from weight dim 1, so it is
/// OutChannels·KH·KW here; weight and bias ~ U(−1/√fan_in, 1/√fan_in).
/// </summary>
public sealed class ConvTranspose2d : Layer
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public Size2 KernelSize { get; }
    public Size2 Stride { get; }
    public Size2 Padding { get; }
    public Size2 OutputPadding { get; }
    public Size2 Dilation { get; }
    public Variable Weight { get; }
    public Variable? Bias { get; }

    public ConvTranspose2d(int inChannels, int outChannels, Size2 kernelSize, Rng rng, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, Size2? dilation = null, bool bias = true, DType dtype = DType.Float32)
    {
        ConvInit.CheckSizes("ConvTranspose2d", inChannels, outChannels, kernelSize);
        (InChannels, OutChannels, KernelSize) = (inChannels, outChannels, kernelSize);
        (Stride, Padding, OutputPadding, Dilation) = (stride ?? 1, padding ?? 0, outputPadding ?? 0, dilation ?? 1);
        double bound = ConvInit.Bound(outChannels, kernelSize);   // fan_in from weight dim 1, as PyTorch
        Weight = RegisterParameter("weight", Tensor.Uniform([inChannels, outChannels, kernelSize.H, kernelSize.W], -bound, bound, rng, dtype));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform([outChannels], -bound, bound, rng, dtype));
    }

    public override Variable Forward(Variable x) => Variable.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding, Dilation);

    public override string ToString() =>
        $"ConvTranspose2d({InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}, output_padding={OutputPadding})";
}

internal static class ConvInit
{
    // kaiming_uniform_(a = √5): gain √(2/(1 + 5)), bound = gain·√3/√fan_in = 1/√fan_in; the bias uses the same bound.
    public static double Bound(int channels, Size2 kernel) => 1.0 / Math.Sqrt((double)channels * kernel.H * kernel.W);

    public static void CheckSizes(string module, int inChannels, int outChannels, Size2 kernel)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernel.H <= 0 || kernel.W <= 0)
            throw new ArgumentException($"{module}: channels {inChannels} → {outChannels} and kernel_size {kernel} must be positive");
    }
}
