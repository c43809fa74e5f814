using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

using View = ArrayView<float>;

// Launchers of the convolution, pooling and batch-norm kernels (ConvKernels): checks, then one launch each.
public sealed partial class GpuDevice
{
    private Action<Index1D, View, View, View, int, View, ConvGeometry>? _convForward;
    private Action<Index1D, View, View, View, ConvGeometry>? _convBackwardInput, _convBackwardWeight, _maxPoolForward, _maxPoolBackward;
    private Action<Index1D, View, View, ConvGeometry>? _avgPoolForward, _avgPoolBackward;
    private Action<Index1D, View, View, View, int, int, int>? _bnStatistics;
    private Action<Index1D, View, View, View, View, View, int, View, int, int>? _bnApply;
    private Action<Index1D, View, View, View, View, View, View, int, int, int>? _bnReduce;
    private Action<Index1D, View, View, View, View, View, int, View, View, int, View, int, int, int>? _bnInputGradient;

    // x: (N, C, H, W), w: (O, C, KH, KW), b: (O) or empty → y: (N, O, OH, OW)
    public void Conv2dForward(Conv2dShape s, View x, View w, View b, View y)
    {
        CheckConv("Conv2dForward", s, x.Length, w.Length, y.Length);
        if (s.OutputLength == 0) return;
        _convForward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, int, View, ConvGeometry>(ConvKernels.Forward);
        _convForward(s.OutputLength, x, w, b.Length == 0 ? w : b, b.Length == 0 ? 0 : 1, y, ConvGeometry.Of(s));
    }

    // dy: (N, O, OH, OW), w → dx: (N, C, H, W), overwritten
    public void Conv2dBackwardInput(Conv2dShape s, View dy, View w, View dx)
    {
        CheckConv("Conv2dBackwardInput", s, dx.Length, w.Length, dy.Length);
        if (s.InputLength == 0) return;
        _convBackwardInput ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, ConvGeometry>(ConvKernels.BackwardInput);
        _convBackwardInput(s.InputLength, dy, w, dx, ConvGeometry.Of(s));
    }

    // x, dy → dw: (O, C, KH, KW), overwritten
    public void Conv2dBackwardWeight(Conv2dShape s, View x, View dy, View dw)
    {
        CheckConv("Conv2dBackwardWeight", s, x.Length, dw.Length, dy.Length);
        if (s.WeightLength == 0) return;
        _convBackwardWeight ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, ConvGeometry>(ConvKernels.BackwardWeight);
        _convBackwardWeight(s.WeightLength, x, dy, dw, ConvGeometry.Of(s));
    }

    public void MaxPool2dForward(Pool2dShape s, View x, View y, View argmax)
    {
        CheckPool("MaxPool2dForward", s, x.Length, y.Length);
        CheckAtLeast("MaxPool2dForward", s.OutputLength, argmax.Length, "argmax");
        if (s.OutputLength == 0) return;
        _maxPoolForward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, ConvGeometry>(ConvKernels.MaxPoolForward);
        _maxPoolForward(s.OutputLength, x, y, argmax, ConvGeometry.Of(s));
    }

    public void MaxPool2dBackward(Pool2dShape s, View dy, View argmax, View dx)
    {
        CheckPool("MaxPool2dBackward", s, dx.Length, dy.Length);
        if (s.InputLength == 0) return;
        _maxPoolBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, ConvGeometry>(ConvKernels.MaxPoolBackward);
        _maxPoolBackward(s.InputLength, dy, argmax, dx, ConvGeometry.Of(s));
    }

    public void AvgPool2dForward(Pool2dShape s, View x, View y)
    {
        CheckPool("AvgPool2dForward", s, x.Length, y.Length);
        if (s.OutputLength == 0) return;
        _avgPoolForward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, ConvGeometry>(ConvKernels.AvgPoolForward);
        _avgPoolForward(s.OutputLength, x, y, ConvGeometry.Of(s));
    }

    public void AvgPool2dBackward(Pool2dShape s, View dy, View dx)
    {
        CheckPool("AvgPool2dBackward", s, dx.Length, dy.Length);
        if (s.InputLength == 0) return;
        _avgPoolBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, ConvGeometry>(ConvKernels.AvgPoolBackward);
        _avgPoolBackward(s.InputLength, dy, dx, ConvGeometry.Of(s));
    }

    // x: (n, c, s) → mean, variance: (c)
    public void BatchNormStatistics(View x, int n, int c, int s, View mean, View variance)
    {
        CheckSameLength("BatchNormStatistics", (long)n * c * s, x.Length, "x");
        CheckSameLength("BatchNormStatistics", c, mean.Length, "mean");
        CheckSameLength("BatchNormStatistics", c, variance.Length, "variance");
        if (c == 0) return;
        _bnStatistics ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, int, int, int>(ConvKernels.BatchNormStatistics);
        _bnStatistics(c, x, mean, variance, n, c, s);
    }

    // gamma and beta empty when not affine.
    public void BatchNormApply(View x, int n, int c, int s, View mean, View invStd, View gamma, View beta, View y)
    {
        CheckSameLength("BatchNormApply", (long)n * c * s, x.Length, "x");
        CheckSameLength("BatchNormApply", x.Length, y.Length, "y");
        if (x.Length == 0) return;
        bool affine = gamma.Length > 0;
        _bnApply ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View, View, int, View, int, int>(ConvKernels.BatchNormApply);
        _bnApply(x.IntExtent, x, mean, invStd, affine ? gamma : mean, affine ? beta : mean, affine ? 1 : 0, y, c, s);
    }

    // dgamma and dbeta (c) are always written (the caller passes scratch views when it does not need them).
    public void BatchNormBackward(View x, View dy, int n, int c, int s, View mean, View invStd, View gamma, bool training, View dx, View dgamma, View dbeta)
    {
        CheckSameLength("BatchNormBackward", (long)n * c * s, x.Length, "x");
        CheckSameLength("BatchNormBackward", x.Length, dy.Length, "dy");
        CheckSameLength("BatchNormBackward", c, dgamma.Length, "dgamma");
        CheckSameLength("BatchNormBackward", c, dbeta.Length, "dbeta");
        if (x.Length == 0) return;
        _bnReduce ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View, View, View, int, int, int>(ConvKernels.BatchNormReduce);
        _bnReduce(c, x, dy, mean, invStd, dgamma, dbeta, n, c, s);
        bool affine = gamma.Length > 0;
        _bnInputGradient ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, View, View, View, int, View, View, int, View, int, int, int>(ConvKernels.BatchNormInputGradient);
        _bnInputGradient(x.IntExtent, x, dy, mean, invStd, affine ? gamma : mean, affine ? 1 : 0, dgamma, dbeta, training ? 1 : 0, dx, c, s, n * s);
    }

    private static void CheckConv(string op, Conv2dShape s, long input, long weight, long output)
    {
        if (s.OutHeight <= 0 || s.OutWidth <= 0 || s.StrideH <= 0 || s.StrideW <= 0 || s.DilationH <= 0 || s.DilationW <= 0)
            throw new ArgumentException($"GpuDevice.{op}: invalid geometry {s}");
        CheckAtLeast(op, s.InputLength, input, "input");
        CheckAtLeast(op, s.WeightLength, weight, "weight");
        CheckAtLeast(op, s.OutputLength, output, "output");
    }

    private static void CheckPool(string op, Pool2dShape s, long input, long output)
    {
        if (s.OutHeight <= 0 || s.OutWidth <= 0 || s.StrideH <= 0 || s.StrideW <= 0)
            throw new ArgumentException($"GpuDevice.{op}: invalid geometry {s}");
        CheckAtLeast(op, s.InputLength, input, "input");
        CheckAtLeast(op, s.OutputLength, output, "output");
    }
}
