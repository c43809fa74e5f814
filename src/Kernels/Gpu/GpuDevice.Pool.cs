using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

using View = ArrayView<float>;

// Pooling and batch normalisation: the contracts of Cpu/Conv/CpuKernels.Pool.cs and CpuKernels.BatchNorm.cs.
public sealed partial class GpuDevice
{
    private Action<Index1D, View, PoolGeometry, View, View>? _maxPoolForward;
    private Action<Index1D, View, View, PoolGeometry, View>? _maxPoolBackward;
    private Action<Index1D, View, PoolGeometry, View>? _avgPoolForward, _avgPoolBackward;
    private Action<KernelConfig, View, BatchNormSizes, View, View>? _batchNormStatistics;
    private Action<Index1D, View, BatchNormSizes, View, View, View, View, View>? _batchNormApply;
    private Action<KernelConfig, View, View, BatchNormSizes, View, View, View, View, View, View>? _batchNormBackward;

    /// <summary>
    /// x: (N, C, H, W) → y, argmax: (N, C, OH, OW): the window maxima and each winner's flat index r·W + c in
    /// its (H, W) plane, as floats (the contract of CpuKernels.MaxPool2dForward). Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a view shorter than s requires.
    /// </summary>
    public void MaxPool2dForward(Pool2dShape s, View x, View y, View argmax)
    {
        var g = CheckPool("MaxPool2dForward", s, x.Length, y.Length);
        CheckAtLeast("MaxPool2dForward", s.OutputLength, argmax.Length, "argmax");
        if (s.OutputLength == 0) return;
        _maxPoolForward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, PoolGeometry, View, View>(PoolKernels.MaxPoolForward);
        _maxPoolForward(s.OutputLength, x, g, y, argmax);
    }

    /// <summary>dy, argmax: (N, C, OH, OW), argmax from MaxPool2dForward → dx: (N, C, H, W), overwritten: each dy added to its winner. Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a view shorter than s requires.</summary>
    public void MaxPool2dBackward(Pool2dShape s, View dy, View argmax, View dx)
    {
        var g = CheckPool("MaxPool2dBackward", s, dx.Length, dy.Length);
        CheckAtLeast("MaxPool2dBackward", s.OutputLength, argmax.Length, "argmax");
        if (s.InputLength == 0) return;
        _maxPoolBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, PoolGeometry, View>(PoolKernels.MaxPoolBackward);
        _maxPoolBackward(s.InputLength, dy, argmax, g, dx);
    }

    /// <summary>x: (N, C, H, W) → y: (N, C, OH, OW): window means, padding counted as zeros (divisor KH·KW). Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a view shorter than s requires.</summary>
    public void AvgPool2dForward(Pool2dShape s, View x, View y)
    {
        var g = CheckPool("AvgPool2dForward", s, x.Length, y.Length);
        if (s.OutputLength == 0) return;
        _avgPoolForward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, PoolGeometry, View>(PoolKernels.AvgPoolForward);
        _avgPoolForward(s.OutputLength, x, g, y);
    }

    /// <summary>dy: (N, C, OH, OW) → dx: (N, C, H, W), overwritten: dy / (KH·KW) added to every element of its window. Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a view shorter than s requires.</summary>
    public void AvgPool2dBackward(Pool2dShape s, View dy, View dx)
    {
        var g = CheckPool("AvgPool2dBackward", s, dx.Length, dy.Length);
        if (s.InputLength == 0) return;
        _avgPoolBackward ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, PoolGeometry, View>(PoolKernels.AvgPoolBackward);
        _avgPoolBackward(s.InputLength, dy, g, dx);
    }

    /// <summary>x: (N, C, S) → mean, variance: (C) over the N·S values of each channel; the biased variance Σ(x − mean)²/(N·S). Throws <see cref="ArgumentException"/> for negative sizes, x shorter than N·C·S, or statistics not of length C.</summary>
    public void BatchNormStatistics(View x, int n, int c, int s, View mean, View variance)
    {
        var z = CheckBatchNorm("BatchNormStatistics", x.Length, n, c, s, mean.Length, variance.Length);
        if (c == 0) return;
        _batchNormStatistics ??= Accelerator.LoadStreamKernel<View, BatchNormSizes, View, View>(BatchNormKernels.Statistics);
        _batchNormStatistics(new KernelConfig(c, ReductionGroupSize), x, z, mean, variance);
    }

    /// <summary>
    /// x: (N, C, S), mean, invStd: (C), gamma, beta: (C) or null (not affine) → y: (N, C, S),
    /// y = (x − mean[c])·invStd[c]·gamma[c] + beta[c]. Throws <see cref="ArgumentException"/> for negative sizes, x shorter than N·C·S, or statistics not of length C. Also if y is shorter than N·C·S or gamma or beta is not of length C.
    /// </summary>
    public void BatchNormApply(View x, int n, int c, int s, View mean, View invStd, View? gamma, View? beta, View y)
    {
        var z = CheckBatchNorm("BatchNormApply", x.Length, n, c, s, mean.Length, invStd.Length);
        CheckAtLeast("BatchNormApply", (long)n * c * s, y.Length, "output");
        CheckOptional("BatchNormApply", c, gamma, "gamma");
        CheckOptional("BatchNormApply", c, beta, "beta");
        int length = n * c * s;
        if (length == 0) return;
        z.HasGamma = gamma is null ? 0 : 1;
        z.HasBeta = beta is null ? 0 : 1;
        _batchNormApply ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, BatchNormSizes, View, View, View, View, View>(BatchNormKernels.Apply);
        _batchNormApply(length, x, z, mean, invStd, gamma ?? mean, beta ?? mean, y);   // stand-ins are never read
    }

    /// <summary>
    /// The backward of <see cref="BatchNormApply"/>: x, dy: (N, C, S), mean, invStd: (C), gamma: (C) or null →
    /// dx: (N, C, S), dgamma, dbeta: (C) or null (not wanted), overwritten; the formulas of
    /// CpuKernels.BatchNormBackward (training: mean and invStd were computed from x). Throws <see cref="ArgumentException"/> for negative sizes, x shorter than N·C·S, or statistics not of length C.
    /// Also if dy or dx is shorter than N·C·S or gamma, dgamma or dbeta is not of length C.
    /// </summary>
    public void BatchNormBackward(View x, View dy, int n, int c, int s, View mean, View invStd, View? gamma, bool training,
        View dx, View? dgamma, View? dbeta)
    {
        var z = CheckBatchNorm("BatchNormBackward", x.Length, n, c, s, mean.Length, invStd.Length);
        CheckAtLeast("BatchNormBackward", (long)n * c * s, dy.Length, "output gradient");
        CheckAtLeast("BatchNormBackward", (long)n * c * s, dx.Length, "input gradient");
        CheckOptional("BatchNormBackward", c, gamma, "gamma");
        CheckOptional("BatchNormBackward", c, dgamma, "dgamma");
        CheckOptional("BatchNormBackward", c, dbeta, "dbeta");
        if (c == 0) return;
        z.HasGamma = gamma is null ? 0 : 1;
        z.Training = training ? 1 : 0;
        z.WriteDGamma = dgamma is null ? 0 : 1;
        z.WriteDBeta = dbeta is null ? 0 : 1;
        _batchNormBackward ??= Accelerator.LoadStreamKernel<View, View, BatchNormSizes, View, View, View, View, View, View>(BatchNormKernels.Backward);
        _batchNormBackward(new KernelConfig(c, ReductionGroupSize), x, dy, z, mean, invStd, gamma ?? mean, dx, dgamma ?? mean, dbeta ?? mean);
    }

    private static PoolGeometry CheckPool(string op, Pool2dShape s, long inputLength, long outputLength)
    {
        if (s.Batch < 0 || s.Channels < 0 || s.KernelH <= 0 || s.KernelW <= 0 || s.StrideH <= 0 || s.StrideW <= 0
            || s.PadH < 0 || s.PadW < 0 || 2 * s.PadH > s.KernelH || 2 * s.PadW > s.KernelW || s.OutHeight <= 0 || s.OutWidth <= 0)
            throw new ArgumentException($"GpuDevice.{op}: invalid geometry {s}.");
        CheckIndexable(op, Math.Max(s.InputLength, s.OutputLength), "input");
        CheckAtLeast(op, s.InputLength, inputLength, "input");
        CheckAtLeast(op, s.OutputLength, outputLength, "output");
        return PoolGeometry.Of(s);
    }

    private static BatchNormSizes CheckBatchNorm(string op, long xLength, int n, int c, int s, long meanLength, long otherLength)
    {
        if (n < 0 || c < 0 || s < 0) throw new ArgumentException($"GpuDevice.{op}: invalid sizes (N {n}, C {c}, S {s}).");
        CheckIndexable(op, (long)n * c * s, "input");
        CheckAtLeast(op, (long)n * c * s, xLength, "input");
        CheckSameLength(op, c, meanLength, "mean");
        CheckSameLength(op, c, otherLength, "statistics");
        return new BatchNormSizes { N = n, C = c, S = s };
    }

    private static void CheckOptional(string op, int c, View? view, string what)
    {
        if (view is { } v) CheckSameLength(op, c, v.Length, what);
    }
}
