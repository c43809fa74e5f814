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
    /// <summary>C_in: the channels of each input image.</summary>
    public int InChannels { get; }
    /// <summary>C_out: the channels (filters) of each output image.</summary>
    public int OutChannels { get; }
    /// <summary>(KH, KW), the filter size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>The step between windows along H and W (default 1).</summary>
    public Size2 Stride { get; }
    /// <summary>Zeros added on each side of H and W before the windows are taken (default 0).</summary>
    public Size2 Padding { get; }
    /// <summary>The spacing between kernel taps (default 1: a dense kernel).</summary>
    public Size2 Dilation { get; }
    /// <summary>The filters, (OutChannels, InChannels, KH, KW): the parameter "weight".</summary>
    public Variable Weight { get; }
    /// <summary>(OutChannels), added to every pixel of each output channel: the parameter "bias"; null with bias: false.</summary>
    public Variable? Bias { get; }

    /// <summary>A convolution C_in → C_out with a (KH, KW) kernel, initialised as PyTorch's (see the class summary).</summary>
    /// <param name="inChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <param name="kernelSize">(KH, KW); an int converts to a square kernel.</param>
    /// <param name="rng">The engine RNG the initial weight (then bias) is drawn from.</param>
    /// <param name="stride">Default 1.</param>
    /// <param name="padding">Default 0.</param>
    /// <param name="dilation">Default 1.</param>
    /// <param name="bias">Whether to learn a per-channel bias.</param>
    /// <param name="dtype">The parameters' element type.</param>
    /// <exception cref="ArgumentException">A channel count or kernel side is not positive.</exception>
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

    /// <summary>
    /// x: (N, InChannels, H, W) → (N, OutChannels, OH, OW), OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1)/stride⌋ + 1 (OW likewise).
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D with InChannels channels, the kernel does not fit the padded input, or the dtypes or devices differ.</exception>
    public override Variable Forward(Variable x) => Variable.Conv2d(x, Weight, Bias, Stride, Padding, Dilation);

    /// <summary>In the style of PyTorch's repr: "Conv2d(1, 32, kernel_size=3, stride=2, padding=1)" (dilation only when not 1).</summary>
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
    /// <summary>C_in: the channels of each input image.</summary>
    public int InChannels { get; }
    /// <summary>C_out: the channels of each output image.</summary>
    public int OutChannels { get; }
    /// <summary>(KH, KW), the filter size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>The upsampling factor: input pixels land stride apart in the output (default 1).</summary>
    public Size2 Stride { get; }
    /// <summary>Rows and columns trimmed from each side of the full output (default 0): stride 2, kernel 4, padding 1 doubles H and W.</summary>
    public Size2 Padding { get; }
    /// <summary>Extra rows/columns added on one side of the output (below stride or dilation) to reach an exact size; default 0.</summary>
    public Size2 OutputPadding { get; }
    /// <summary>The spacing between kernel taps (default 1).</summary>
    public Size2 Dilation { get; }
    /// <summary>The filters, (InChannels, OutChannels, KH, KW) — PyTorch's layout: the parameter "weight".</summary>
    public Variable Weight { get; }
    /// <summary>(OutChannels), the parameter "bias"; null with bias: false.</summary>
    public Variable? Bias { get; }

    /// <summary>A transposed convolution C_in → C_out, initialised as PyTorch's (see the class summary).</summary>
    /// <param name="inChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <param name="kernelSize">(KH, KW); an int converts to a square kernel.</param>
    /// <param name="rng">The engine RNG the initial weight (then bias) is drawn from.</param>
    /// <param name="stride">Default 1.</param>
    /// <param name="padding">Default 0.</param>
    /// <param name="outputPadding">Default 0; must be below stride or dilation.</param>
    /// <param name="dilation">Default 1.</param>
    /// <param name="bias">Whether to learn a per-channel bias.</param>
    /// <param name="dtype">The parameters' element type.</param>
    /// <exception cref="ArgumentException">A channel count or kernel side is not positive.</exception>
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

    /// <summary>x: (N, InChannels, H, W) → (N, OutChannels, OH, OW), OH as in the class summary: the adjoint of Conv2d, used to upsample.</summary>
    /// <exception cref="ArgumentException">x is not 4-D with InChannels channels, outputPadding is not below stride or dilation, or the dtypes or devices differ.</exception>
    public override Variable Forward(Variable x) => Variable.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding, Dilation);

    /// <summary>In the style of PyTorch's repr: "ConvTranspose2d(64, 32, kernel_size=4, stride=2, padding=1, output_padding=0)".</summary>
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
