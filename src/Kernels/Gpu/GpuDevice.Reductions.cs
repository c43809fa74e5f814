using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

// Reductions: the contracts of CpuKernels.Sum/Max/SumLastAxis/MaxLastAxis/ColumnSums. Results
// stay on the device (a view of length 1 for Sum and Max), so a loss can feed the next op
// without a round trip; read it back with GpuBuffer.CopyToHost when the host needs it.
public sealed partial class GpuDevice
{
    /// <summary>Each thread of Sum/Max pass 1 folds at least this many elements before the tree.</summary>
    private const int ElementsPerThread = 8;

    private readonly MemoryBuffer1D<float, Stride1D.Dense> _reductionScratch;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>>? _sumAll, _maxAll;
    private Action<KernelConfig, ArrayView<float>, int, ArrayView<float>>? _sumRows, _maxRows;
    private Action<Index1D, ArrayView<float>, int, int, ArrayView<float>>? _columnSums;

    /// <summary>Threads per group of the reduction kernels: 256 on CUDA, 32 on the simulator.</summary>
    public int ReductionGroupSize { get; }

    /// <summary>
    /// Most groups pass 1 of Sum/Max launches (then each thread folds more elements): 1024 on
    /// CUDA, enough to fill an H100 several times over; 64 on the simulator, where each group
    /// costs milliseconds. Pass 2 folds these partials in one group.
    /// </summary>
    public int MaxReductionGroups { get; }

    /// <summary>
    /// x: (n) → y: (1), y[0] = Σ x (0 for n = 0), left on the device. A fixed tree whose shape depends only
    /// on n and the device: the same input gives the same bits every run. Throws <see cref="ArgumentException"/> if y.Length ≠ 1 or n &gt; int.MaxValue.
    /// </summary>
    public void Sum(ArrayView<float> x, ArrayView<float> y)
    {
        _sumAll ??= Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(ReductionKernels.ReduceAll<SumReduction>);
        ReduceAll("Sum", _sumAll, x, y);
    }

    /// <summary>x: (n) → y: (1), y[0] = max x, left on the device; NaN if any element is NaN, −∞ for n = 0. Throws <see cref="ArgumentException"/> if y.Length ≠ 1 or n &gt; int.MaxValue.</summary>
    public void Max(ArrayView<float> x, ArrayView<float> y)
    {
        _maxAll ??= Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(ReductionKernels.ReduceAll<MaxReduction>);
        ReduceAll("Max", _maxAll, x, y);
    }

    /// <summary>x: (rows, cols) → y: (rows), y[r] = Σ_c x[r, c], one group per row. Throws <see cref="ArgumentException"/> if x is not rows·cols long or y not rows.</summary>
    public void SumLastAxis(ArrayView<float> x, int rows, int cols, ArrayView<float> y)
    {
        _sumRows ??= Accelerator.LoadStreamKernel<ArrayView<float>, int, ArrayView<float>>(ReductionKernels.ReduceRows<SumReduction>);
        ReduceRows("SumLastAxis", _sumRows, x, rows, cols, y);
    }

    /// <summary>x: (rows, cols) → y: (rows), y[r] = max_c x[r, c]; NaN if the row holds one, −∞ when cols = 0. Throws <see cref="ArgumentException"/> if x is not rows·cols long or y not rows.</summary>
    public void MaxLastAxis(ArrayView<float> x, int rows, int cols, ArrayView<float> y)
    {
        _maxRows ??= Accelerator.LoadStreamKernel<ArrayView<float>, int, ArrayView<float>>(ReductionKernels.ReduceRows<MaxReduction>);
        ReduceRows("MaxLastAxis", _maxRows, x, rows, cols, y);
    }

    /// <summary>x: (rows, cols) → y: (cols), y[c] = Σ_r x[r, c] in row order (a dense layer's bias gradient). Throws <see cref="ArgumentException"/> if x is not rows·cols long or y not cols.</summary>
    public void ColumnSums(ArrayView<float> x, int rows, int cols, ArrayView<float> y)
    {
        CheckMatrix("ColumnSums", x, rows, cols, "x");
        CheckSameLength("ColumnSums", cols, y.Length, "y");
        if (cols == 0) return;
        _columnSums ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, ArrayView<float>>(
            ReductionKernels.ColumnSums);
        _columnSums(cols, x, rows, cols, y);
    }

    private void ReduceAll(string op, Action<KernelConfig, ArrayView<float>, ArrayView<float>> kernel,
        ArrayView<float> x, ArrayView<float> y)
    {
        CheckSameLength(op, 1, y.Length, "y");
        CheckIndexable(op, x.Length, "x");
        int groupSize = ReductionGroupSize;
        // The group count depends only on n and the device, never on timing: the same input
        // always splits, and rounds, the same way.
        long perGroup = (long)groupSize * ElementsPerThread;
        long groups = Math.Clamp((x.Length + perGroup - 1) / perGroup, 1, MaxReductionGroups);
        if (groups == 1)
        {
            kernel(new KernelConfig(1, groupSize), x, y);
            return;
        }
        var partials = _reductionScratch.View.SubView(0, groups);
        kernel(new KernelConfig((int)groups, groupSize), x, partials);
        kernel(new KernelConfig(1, groupSize), partials, y);
    }

    private void ReduceRows(string op, Action<KernelConfig, ArrayView<float>, int, ArrayView<float>> kernel,
        ArrayView<float> x, int rows, int cols, ArrayView<float> y)
    {
        CheckMatrix(op, x, rows, cols, "x");
        CheckSameLength(op, rows, y.Length, "y");
        if (rows == 0) return;
        kernel(new KernelConfig(rows, ReductionGroupSize), x, cols, y);
    }
}
