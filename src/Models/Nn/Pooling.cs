using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>torch.nn.MaxPool2d: stride defaults to the kernel size; padding (≤ half the kernel) is −∞.</summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null) : Layer
{
    public Size2 KernelSize { get; } = kernelSize;
    public Size2 Stride { get; } = stride ?? kernelSize;
    public Size2 Padding { get; } = padding ?? 0;

    // x: (N, C, H, W) → (N, C, OH, OW)
    public override Variable Forward(Variable x) => x.MaxPool2d(KernelSize, Stride, Padding);

    public override string ToString() => $"MaxPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}

/// <summary>torch.nn.AvgPool2d with PyTorch's defaults: count_include_pad = true, ceil_mode = false.</summary>
public sealed class AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null) : Layer
{
    public Size2 KernelSize { get; } = kernelSize;
    public Size2 Stride { get; } = stride ?? kernelSize;
    public Size2 Padding { get; } = padding ?? 0;

    // x: (N, C, H, W) → (N, C, OH, OW)
    public override Variable Forward(Variable x) => x.AvgPool2d(KernelSize, Stride, Padding);

    public override string ToString() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}
