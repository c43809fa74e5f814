using Scratch.Kernels;

namespace Scratch;

// Max and average pooling, NCHW, PyTorch's defaults: stride = kernel size, floor mode, padding at
// most half the kernel (max pooling pads with −∞, average pooling counts the padding as zeros).
public sealed partial class Tensor
{
    /// <summary>
    /// x: (N, C, H, W) → (y, argmax), both (N, C, OH, OW); argmax holds each winner's flat index
    /// r·W + c inside its plane (as this dtype: exact below 2^24), what the backward needs.
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, the kernel is larger than the padded input, or a plane has more than 2^24 elements.</exception>
    public static (Tensor Y, Tensor ArgMax) MaxPool2d(Tensor x, Size2 kernelSize, Size2? stride = null, Size2? padding = null)
    {
        var s = PoolShape("max_pool2d", x, kernelSize, stride ?? kernelSize, padding ?? 0);
        if ((long)s.Height * s.Width > 1 << 24)
            throw new ArgumentException($"max_pool2d: planes of {s.Height}×{s.Width} are too large to index exactly in {x.DType.Name()}");
        var y = Empty([s.Batch, s.Channels, s.OutHeight, s.OutWidth], x.DType, x.Device);
        var argmax = Empty(y._shape, x.DType, x.Device);
        x.Backend.MaxPool2dForward(s, x.Buffer(), y.Buffer(), argmax.Buffer());
        return (y, argmax);
    }

    /// <summary>dy (N, C, OH, OW) routed to the winners → dx (N, C, H, W).</summary>
    /// <exception cref="ArgumentException">The dtypes or devices of dy and argmax differ.</exception>
    public static Tensor MaxPool2dBackward(Tensor dy, Tensor argmax, Pool2dShape s)
    {
        CheckSameDTypeAndDevice("max_pool2d backward", dy, argmax);
        var dx = Empty([s.Batch, s.Channels, s.Height, s.Width], dy.DType, dy.Device);
        dy.Backend.MaxPool2dBackward(s, dy.Buffer(), argmax.Buffer(), dx.Buffer());
        return dx;
    }

    /// <summary>x: (N, C, H, W) → (N, C, OH, OW), the mean of each window (count_include_pad = true).</summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, or the kernel is larger than the padded input.</exception>
    public static Tensor AvgPool2d(Tensor x, Size2 kernelSize, Size2? stride = null, Size2? padding = null)
    {
        var s = PoolShape("avg_pool2d", x, kernelSize, stride ?? kernelSize, padding ?? 0);
        var y = Empty([s.Batch, s.Channels, s.OutHeight, s.OutWidth], x.DType, x.Device);
        x.Backend.AvgPool2dForward(s, x.Buffer(), y.Buffer());
        return y;
    }

    /// <summary>dy (N, C, OH, OW) spread evenly over each window → dx (N, C, H, W).</summary>
    public static Tensor AvgPool2dBackward(Tensor dy, Pool2dShape s)
    {
        var dx = Empty([s.Batch, s.Channels, s.Height, s.Width], dy.DType, dy.Device);
        dy.Backend.AvgPool2dBackward(s, dy.Buffer(), dx.Buffer());
        return dx;
    }

    /// <summary>The geometry of a pooling op on x, with every check (op names itself in errors).</summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, or the kernel is larger than the padded input.</exception>
    public static Pool2dShape PoolShape(string op, Tensor x, Size2 kernelSize, Size2 stride, Size2 padding)
    {
        string Describe() => $"input {Shapes.Format(x._shape)}, kernel_size {kernelSize}, stride {stride}, padding {padding}";
        if (x.Rank != 4)
            throw new ArgumentException($"{op}: needs a 4-D input (N, C, H, W); got {Describe()}");
        if (kernelSize.H <= 0 || kernelSize.W <= 0 || stride.H <= 0 || stride.W <= 0)
            throw new ArgumentException($"{op}: kernel_size and stride must be positive; {Describe()}");
        if (padding.H < 0 || padding.W < 0 || 2 * padding.H > kernelSize.H || 2 * padding.W > kernelSize.W)
            throw new ArgumentException($"{op}: padding must be between 0 and half the kernel size; {Describe()}");
        if (x._shape[2] + 2 * padding.H < kernelSize.H || x._shape[3] + 2 * padding.W < kernelSize.W)
            throw new ArgumentException($"{op}: the kernel is larger than the padded input ({x._shape[2] + 2 * padding.H}×{x._shape[3] + 2 * padding.W}); {Describe()}");
        return new Pool2dShape(x._shape[0], x._shape[1], x._shape[2], x._shape[3], kernelSize.H, kernelSize.W, stride.H, stride.W, padding.H, padding.W);
    }
}
