namespace Scratch.Kernels;

// The geometry of a 2-D convolution or pooling window, NCHW layout, shared by every device.
// A backend reads sizes from here and nothing else; the Tensor layer builds and checks it once.

/// <summary>
/// A 2-D convolution: x (Batch, InChannels, Height, Width) ⊛ w (OutChannels, InChannels, KernelH, KernelW)
/// → y (Batch, OutChannels, OutHeight, OutWidth), groups = 1. Output size as PyTorch:
/// ⌊(H + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1. A transposed convolution is described by the
/// convolution it is the adjoint of (its output is this shape's input).
/// </summary>
public readonly record struct Conv2dShape(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1)
{
    public int OutHeight => (Height + 2 * PadH - DilationH * (KernelH - 1) - 1) / StrideH + 1;
    public int OutWidth => (Width + 2 * PadW - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Elements of one image's patch, the GEMM's inner dimension: InChannels·KernelH·KernelW.</summary>
    public int PatchSize => InChannels * KernelH * KernelW;

    public int InputLength => Batch * InChannels * Height * Width;
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;
    public int WeightLength => OutChannels * InChannels * KernelH * KernelW;

    public override string ToString() =>
        $"input ({Batch}, {InChannels}, {Height}, {Width}), weight ({OutChannels}, {InChannels}, {KernelH}, {KernelW}), " +
        $"stride ({StrideH}, {StrideW}), padding ({PadH}, {PadW}), dilation ({DilationH}, {DilationW})";
}

/// <summary>
/// A 2-D pooling window over x (Batch, Channels, Height, Width) → (Batch, Channels, OutHeight, OutWidth);
/// floor mode (PyTorch's ceil_mode = false), implicit padding.
/// </summary>
public readonly record struct Pool2dShape(
    int Batch, int Channels, int Height, int Width, int KernelH, int KernelW,
    int StrideH, int StrideW, int PadH = 0, int PadW = 0)
{
    public int OutHeight => (Height + 2 * PadH - KernelH) / StrideH + 1;
    public int OutWidth => (Width + 2 * PadW - KernelW) / StrideW + 1;
    public int InputLength => Batch * Channels * Height * Width;
    public int OutputLength => Batch * Channels * OutHeight * OutWidth;

    public override string ToString() =>
        $"input ({Batch}, {Channels}, {Height}, {Width}), kernel ({KernelH}, {KernelW}), stride ({StrideH}, {StrideW}), padding ({PadH}, {PadW})";
}
