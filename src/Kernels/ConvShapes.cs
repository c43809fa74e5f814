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
    /// <summary>Rows of y: (Height + 2·PadH − DilationH·(KernelH − 1) − 1) / StrideH + 1. A kernel throws ArgumentException when it is ≤ 0.</summary>
    public int OutHeight => (Height + 2 * PadH - DilationH * (KernelH - 1) - 1) / StrideH + 1;

    /// <summary>Columns of y: (Width + 2·PadW − DilationW·(KernelW − 1) − 1) / StrideW + 1. A kernel throws ArgumentException when it is ≤ 0.</summary>
    public int OutWidth => (Width + 2 * PadW - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Elements of one image's patch, the GEMM's inner dimension: InChannels·KernelH·KernelW.</summary>
    public int PatchSize => InChannels * KernelH * KernelW;

    /// <summary>Elements of x: Batch·InChannels·Height·Width.</summary>
    public int InputLength => Batch * InChannels * Height * Width;

    /// <summary>Elements of y: Batch·OutChannels·OutHeight·OutWidth.</summary>
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Elements of w: OutChannels·InChannels·KernelH·KernelW.</summary>
    public int WeightLength => OutChannels * InChannels * KernelH * KernelW;

    /// <summary>The shape in PyTorch's terms (input, weight, stride, padding, dilation), as error messages print it.</summary>
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
    /// <summary>Rows of y: (Height + 2·PadH − KernelH) / StrideH + 1. A kernel throws ArgumentException when it is ≤ 0.</summary>
    public int OutHeight => (Height + 2 * PadH - KernelH) / StrideH + 1;

    /// <summary>Columns of y: (Width + 2·PadW − KernelW) / StrideW + 1. A kernel throws ArgumentException when it is ≤ 0.</summary>
    public int OutWidth => (Width + 2 * PadW - KernelW) / StrideW + 1;

    /// <summary>Elements of x: Batch·Channels·Height·Width.</summary>
    public int InputLength => Batch * Channels * Height * Width;

    /// <summary>Elements of y: Batch·Channels·OutHeight·OutWidth.</summary>
    public int OutputLength => Batch * Channels * OutHeight * OutWidth;

    /// <summary>The shape in PyTorch's terms (input, kernel, stride, padding), as error messages print it.</summary>
    public override string ToString() =>
        $"input ({Batch}, {Channels}, {Height}, {Width}), kernel ({KernelH}, {KernelW}), stride ({StrideH}, {StrideW}), padding ({PadH}, {PadW})";
}
