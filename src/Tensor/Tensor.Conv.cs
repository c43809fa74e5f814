using Scratch.Kernels;

namespace Scratch;

// Convolution and transposed convolution, NCHW, groups = 1, PyTorch's semantics. Each op checks
// shapes here, once, and names itself, the input shape and its parameters in any error; the device
// then computes with the geometry in a Conv2dShape. A transposed convolution is the adjoint of a
// convolution, so it is computed by that convolution's backward kernels (and its backward by the
// forward one): one set of kernels serves both.
public sealed partial class Tensor
{
    /// <summary>
    /// x: (N, C, H, W), weight: (O, C, KH, KW), bias: (O) or null → (N, O, OH, OW) with
    /// OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1) / stride⌋ + 1 (likewise OW).
    /// </summary>
    /// <exception cref="ArgumentException">The ranks or channel counts do not fit, the bias is not (O), stride or dilation is not positive, padding is negative, the dilated kernel is larger than the padded input, or dtypes or devices differ.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, Size2? stride = null, Size2? padding = null, Size2? dilation = null)
    {
        var s = ConvShape("conv2d", x, weight, bias, stride ?? 1, padding ?? 0, dilation ?? 1);
        var y = Empty([s.Batch, s.OutChannels, s.OutHeight, s.OutWidth], x.DType, x.Device);
        x.Backend.Conv2dForward(s, x.Buffer(), weight.Buffer(), bias?.Buffer(), y.Buffer());
        return y;
    }

    /// <summary>The input gradient of <see cref="Conv2d"/>: dy (N, O, OH, OW), weight (O, C, KH, KW) → dx (N, C, H, W).</summary>
    /// <exception cref="ArgumentException">dy's shape is not the convolution's output for this geometry, or the dtypes or devices differ.</exception>
    public static Tensor Conv2dBackwardInput(Tensor dy, Tensor weight, Size2 inputSize, Size2 stride, Size2 padding, Size2 dilation)
    {
        CheckSameDTypeAndDevice("conv2d backward input", dy, weight);
        var s = new Conv2dShape(dy.Size(0), weight.Size(1), inputSize.H, inputSize.W, weight.Size(0), weight.Size(2), weight.Size(3),
            stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        CheckOutput("conv2d backward input", s, dy);
        var dx = Empty([s.Batch, s.InChannels, s.Height, s.Width], dy.DType, dy.Device);
        dy.Backend.Conv2dBackwardInput(s, dy.Buffer(), weight.Buffer(), dx.Buffer());
        return dx;
    }

    /// <summary>The weight gradient of <see cref="Conv2d"/>: x (N, C, H, W), dy (N, O, OH, OW) → dw (O, C, KH, KW).</summary>
    /// <exception cref="ArgumentException">dy's shape is not the convolution's output for this geometry, or the dtypes or devices differ.</exception>
    public static Tensor Conv2dBackwardWeight(Tensor x, Tensor dy, Size2 kernelSize, Size2 stride, Size2 padding, Size2 dilation)
    {
        CheckSameDTypeAndDevice("conv2d backward weight", x, dy);
        var s = new Conv2dShape(x.Size(0), x.Size(1), x.Size(2), x.Size(3), dy.Size(1), kernelSize.H, kernelSize.W,
            stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        CheckOutput("conv2d backward weight", s, dy);
        var dw = Empty([s.OutChannels, s.InChannels, s.KernelH, s.KernelW], x.DType, x.Device);
        x.Backend.Conv2dBackwardWeight(s, x.Buffer(), dy.Buffer(), dw.Buffer());
        return dw;
    }

    /// <summary>
    /// <see cref="Conv2d"/> (no bias) and <see cref="Conv2dBackwardWeight"/> of the same x in one call:
    /// x (N, C, H, W), weight (O, C, KH, KW), dy (N, O, OH, OW) → y (N, O, OH, OW), dw (O, C, KH, KW).
    /// The pair a transposed convolution's backward needs; the CPU gathers x's patches once for both.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit a convolution (as <see cref="Conv2d"/>), dy is not its output shape, or dtypes or devices differ.</exception>
    public static (Tensor Y, Tensor Dw) Conv2dAndBackwardWeight(Tensor x, Tensor weight, Tensor dy, Size2 stride, Size2 padding, Size2 dilation)
    {
        var s = ConvShape("conv2d", x, weight, null, stride, padding, dilation);
        CheckSameDTypeAndDevice("conv2d backward weight", x, dy);
        CheckOutput("conv2d backward weight", s, dy);
        var y = Empty([s.Batch, s.OutChannels, s.OutHeight, s.OutWidth], x.DType, x.Device);
        var dw = Empty([s.OutChannels, s.InChannels, s.KernelH, s.KernelW], x.DType, x.Device);
        x.Backend.Conv2dForwardAndBackwardWeight(s, x.Buffer(), weight.Buffer(), y.Buffer(), dy.Buffer(), dw.Buffer());
        return (y, dw);
    }

    /// <summary>
    /// The transposed convolution ("deconvolution"), PyTorch's conv_transpose2d: x: (N, Cin, H, W),
    /// weight: (Cin, Cout, KH, KW), bias: (Cout) or null → (N, Cout, OH, OW) with
    /// OH = (H − 1)·stride − 2·padding + dilation·(KH − 1) + outputPadding + 1. It is the adjoint of
    /// the convolution (N, Cout, OH, OW) → (N, Cin, H, W) with the same weight; outputPadding picks
    /// among the output sizes that convolution maps to H (it must be below stride or dilation).
    /// </summary>
    /// <exception cref="ArgumentException">The ranks or channel counts do not fit, the bias is not (Cout), stride or dilation is not positive, padding is negative, outputPadding is not below stride or dilation, the output would be empty, or dtypes or devices differ.</exception>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, Size2? dilation = null)
    {
        var s = TransposedShape(x, weight, bias, stride ?? 1, padding ?? 0, outputPadding ?? 0, dilation ?? 1);
        var y = Empty([s.Batch, s.InChannels, s.Height, s.Width], x.DType, x.Device);
        // With a bias: one kernel where the device has it (the CPU adds it per group while in cache),
        // else the kernel and one broadcast pass: (N, Cout, OH, OW) + (1, Cout, 1, 1).
        if (bias is not null && x.Backend.TryConv2dBackwardInputWithBias(s, x.Buffer(), weight.Buffer(), bias.Buffer(), y.Buffer())) return y;
        x.Backend.Conv2dBackwardInput(s, x.Buffer(), weight.Buffer(), y.Buffer());
        if (bias is null) return y;
        return y.Add(bias.Reshape(1, s.InChannels, 1, 1));
    }

    /// <summary>
    /// The convolution whose adjoint is conv_transpose2d(x, weight): its input is the transposed
    /// convolution's output (N, Cout, OH, OW), its output is x (N, Cin, H, W), its weight (Cin, Cout, KH, KW).
    /// </summary>
    /// <exception cref="ArgumentException">The operands do not fit a transposed convolution (the cases of <see cref="ConvTranspose2d"/>).</exception>
    public static Conv2dShape TransposedShape(Tensor x, Tensor weight, Tensor? bias, Size2 stride, Size2 padding, Size2 outputPadding, Size2 dilation)
    {
        const string op = "conv_transpose2d";
        string Describe() => $"input {Shapes.Format(x._shape)}, weight {Shapes.Format(weight._shape)}{(bias is null ? "" : $", bias {Shapes.Format(bias._shape)}")}, " +
            $"stride {stride}, padding {padding}, output_padding {outputPadding}, dilation {dilation}";
        CheckSameDTypeAndDevice(op, x, weight);
        if (bias != null) CheckSameDTypeAndDevice(op, x, bias);
        if (x.Rank != 4 || weight.Rank != 4)
            throw new ArgumentException($"{op}: needs a 4-D input (N, Cin, H, W) and weight (Cin, Cout, KH, KW); got {Describe()}");
        if (x._shape[1] != weight._shape[0])
            throw new ArgumentException($"{op}: the input has {x._shape[1]} channels but the weight expects {weight._shape[0]} (weight dim 0); {Describe()}");
        if (bias != null && (bias.Rank != 1 || bias._shape[0] != weight._shape[1]))
            throw new ArgumentException($"{op}: the bias must be ({weight._shape[1]}) (weight dim 1); {Describe()}");
        CheckPositive(op, stride, "stride", Describe);
        CheckPositive(op, dilation, "dilation", Describe);
        if (padding.H < 0 || padding.W < 0 || outputPadding.H < 0 || outputPadding.W < 0)
            throw new ArgumentException($"{op}: padding and output_padding must be non-negative; {Describe()}");
        if ((outputPadding.H >= stride.H && outputPadding.H >= dilation.H) || (outputPadding.W >= stride.W && outputPadding.W >= dilation.W))
            throw new ArgumentException($"{op}: output_padding must be smaller than stride or dilation; {Describe()}");
        int kh = weight._shape[2], kw = weight._shape[3];
        int oh = (x._shape[2] - 1) * stride.H - 2 * padding.H + dilation.H * (kh - 1) + outputPadding.H + 1;
        int ow = (x._shape[3] - 1) * stride.W - 2 * padding.W + dilation.W * (kw - 1) + outputPadding.W + 1;
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{op}: the output would be {oh}×{ow}; {Describe()}");
        var s = new Conv2dShape(x._shape[0], weight._shape[1], oh, ow, weight._shape[0], kh, kw,
            stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        if (s.OutHeight != x._shape[2] || s.OutWidth != x._shape[3])
            throw new ArgumentException($"{op}: inconsistent geometry, the adjoint convolution maps {oh}×{ow} to {s.OutHeight}×{s.OutWidth}, not the input's {x._shape[2]}×{x._shape[3]}; {Describe()}");
        return s;
    }

    /// <summary>The geometry of conv2d(x, weight, bias), with every shape check (op names itself in errors).</summary>
    /// <exception cref="ArgumentException">The operands do not fit a convolution (the cases of <see cref="Conv2d"/>).</exception>
    public static Conv2dShape ConvShape(string op, Tensor x, Tensor weight, Tensor? bias, Size2 stride, Size2 padding, Size2 dilation)
    {
        string Describe() => $"input {Shapes.Format(x._shape)}, weight {Shapes.Format(weight._shape)}{(bias is null ? "" : $", bias {Shapes.Format(bias._shape)}")}, " +
            $"stride {stride}, padding {padding}, dilation {dilation}";
        CheckSameDTypeAndDevice(op, x, weight);
        if (bias != null) CheckSameDTypeAndDevice(op, x, bias);
        if (x.Rank != 4 || weight.Rank != 4)
            throw new ArgumentException($"{op}: needs a 4-D input (N, C, H, W) and weight (O, C, KH, KW); got {Describe()}");
        if (x._shape[1] != weight._shape[1])
            throw new ArgumentException($"{op}: the input has {x._shape[1]} channels but the weight expects {weight._shape[1]}; {Describe()}");
        if (bias != null && (bias.Rank != 1 || bias._shape[0] != weight._shape[0]))
            throw new ArgumentException($"{op}: the bias must be ({weight._shape[0]}), one per output channel; {Describe()}");
        CheckPositive(op, stride, "stride", Describe);
        CheckPositive(op, dilation, "dilation", Describe);
        if (padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"{op}: padding must be non-negative; {Describe()}");
        if (weight._shape[2] <= 0 || weight._shape[3] <= 0)
            throw new ArgumentException($"{op}: the kernel must be at least 1×1; {Describe()}");
        var s = new Conv2dShape(x._shape[0], x._shape[1], x._shape[2], x._shape[3], weight._shape[0], weight._shape[2], weight._shape[3],
            stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        if (x._shape[2] + 2 * padding.H < dilation.H * (s.KernelH - 1) + 1 || x._shape[3] + 2 * padding.W < dilation.W * (s.KernelW - 1) + 1)
            throw new ArgumentException($"{op}: the kernel ({s.KernelH}×{s.KernelW}, dilated {dilation.H * (s.KernelH - 1) + 1}×{dilation.W * (s.KernelW - 1) + 1}) " +
                $"is larger than the padded input ({x._shape[2] + 2 * padding.H}×{x._shape[3] + 2 * padding.W}); {Describe()}");
        return s;
    }

    private static void CheckPositive(string op, Size2 value, string what, Func<string> describe)
    {
        if (value.H <= 0 || value.W <= 0)
            throw new ArgumentException($"{op}: {what} must be positive; {describe()}");
    }

    private static void CheckOutput(string op, Conv2dShape s, Tensor dy)
    {
        if (dy.Rank != 4 || dy._shape[0] != s.Batch || dy._shape[1] != s.OutChannels || dy._shape[2] != s.OutHeight || dy._shape[3] != s.OutWidth)
            throw new ArgumentException($"{op}: output gradient {Shapes.Format(dy._shape)} does not fit {s} (expects ({s.Batch}, {s.OutChannels}, {s.OutHeight}, {s.OutWidth}))");
    }
}
