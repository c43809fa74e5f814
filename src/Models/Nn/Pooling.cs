using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>torch.nn.MaxPool2d: stride defaults to the kernel size; padding (≤ half the kernel) is −∞.</summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null) : Layer
{
    /// <summary>(KH, KW), the window size.</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>The step between windows; defaults to <see cref="KernelSize"/> (non-overlapping windows).</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>Added on each side of H and W (default 0; at most half the kernel).</summary>
    public Size2 Padding { get; } = padding ?? 0;

    /// <summary>
    /// x: (N, C, H, W) → (N, C, OH, OW), the maximum of each window; padding counts as −∞;
    /// OH = ⌊(H + 2·padding − KH)/stride⌋ + 1 (OW likewise).
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, or the kernel is larger than the padded input.</exception>
    public override Variable Forward(Variable x) => x.MaxPool2d(KernelSize, Stride, Padding);

    /// <summary>In the style of PyTorch's repr: "MaxPool2d(kernel_size=2, stride=2, padding=0)".</summary>
    public override string ToString() => $"MaxPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}

/// <summary>torch.nn.AvgPool2d with PyTorch's defaults: count_include_pad = true, ceil_mode = false.</summary>
public sealed class AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null) : Layer
{
    /// <summary>(KH, KW), the window size.</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>The step between windows; defaults to <see cref="KernelSize"/> (non-overlapping windows).</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>Added on each side of H and W (default 0; at most half the kernel).</summary>
    public Size2 Padding { get; } = padding ?? 0;

    /// <summary>
    /// x: (N, C, H, W) → (N, C, OH, OW), the mean of each window, the zero padding counted in the divisor;
    /// OH = ⌊(H + 2·padding − KH)/stride⌋ + 1 (OW likewise).
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, or the kernel is larger than the padded input.</exception>
    public override Variable Forward(Variable x) => x.AvgPool2d(KernelSize, Stride, Padding);

    /// <summary>In the style of PyTorch's repr: "AvgPool2d(kernel_size=2, stride=2, padding=0)".</summary>
    public override string ToString() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}
