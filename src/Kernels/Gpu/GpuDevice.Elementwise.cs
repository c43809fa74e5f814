using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

using UnaryKernel = Action<Index1D, ArrayView<float>, ArrayView<float>>;
using BinaryKernel = Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>;
using BinaryScalarKernel = Action<Index1D, ArrayView<float>, float, ArrayView<float>>;
using ScalarBinaryKernel = Action<Index1D, float, ArrayView<float>, ArrayView<float>>;
using BroadcastKernel = Action<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>;

// Elementwise ops: the same contracts as CpuKernels.Unary/Binary/BinaryScalar/ScalarBinary/Clamp,
// over device views. Each op's kernel is compiled the first time it is used.
public sealed partial class GpuDevice
{
    private enum BinaryForm { Elementwise, TensorScalar, ScalarTensor, RowBroadcast, ColumnBroadcast }

    private readonly Dictionary<UnaryOp, UnaryKernel> _unaryKernels = new();
    private readonly Dictionary<(BinaryOp, BinaryForm), Delegate> _binaryKernels = new();
    private Action<Index1D, ArrayView<float>, float, float, ArrayView<float>>? _clampKernel;

    /// <summary>
    /// x: (n) → y: (n), y[i] = op(x[i]) (the contract of CpuKernels.Unary); y may be x. Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if the lengths
    /// differ or a length exceeds int.MaxValue, <see cref="ArgumentOutOfRangeException"/> for an unknown op.
    /// </summary>
    public void Unary(UnaryOp op, ArrayView<float> x, ArrayView<float> y)
    {
        CheckSameLength("Unary", x.Length, y.Length, "y");
        if (x.Length == 0) return;
        if (!_unaryKernels.TryGetValue(op, out var kernel))
            _unaryKernels[op] = kernel = OperatorDispatch.Unary(op, new LoadUnary(Accelerator));
        kernel(x.IntExtent, x, y);
    }

    /// <summary>
    /// a: (n), b: (n) → y: (n), y[i] = op(a[i], b[i]) (the contract of CpuKernels.Binary). Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if the lengths
    /// differ or a length exceeds int.MaxValue, <see cref="ArgumentOutOfRangeException"/> for an unknown op.
    /// </summary>
    public void Binary(BinaryOp op, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y)
    {
        CheckSameLength("Binary", a.Length, b.Length, "b");
        CheckSameLength("Binary", a.Length, y.Length, "y");
        if (a.Length == 0) return;
        BinaryKernelFor<BinaryKernel>(op, BinaryForm.Elementwise)(a.IntExtent, a, b, y);
    }

    /// <summary>a: (n), scalar s → y: (n), y[i] = op(a[i], s). Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if the lengths differ or a length exceeds int.MaxValue, <see cref="ArgumentOutOfRangeException"/> for an unknown op.</summary>
    public void BinaryScalar(BinaryOp op, ArrayView<float> a, float s, ArrayView<float> y)
    {
        CheckSameLength("BinaryScalar", a.Length, y.Length, "y");
        if (a.Length == 0) return;
        BinaryKernelFor<BinaryScalarKernel>(op, BinaryForm.TensorScalar)(a.IntExtent, a, s, y);
    }

    /// <summary>scalar s, b: (n) → y: (n), y[i] = op(s, b[i]): s − b, s / b and the like. Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if the lengths differ or a length exceeds int.MaxValue, <see cref="ArgumentOutOfRangeException"/> for an unknown op.</summary>
    public void ScalarBinary(BinaryOp op, float s, ArrayView<float> b, ArrayView<float> y)
    {
        CheckSameLength("ScalarBinary", b.Length, y.Length, "y");
        if (b.Length == 0) return;
        BinaryKernelFor<ScalarBinaryKernel>(op, BinaryForm.ScalarTensor)(b.IntExtent, s, b, y);
    }

    /// <summary>
    /// a: (rows, cols), b: (cols) → y: (rows, cols), y[r, c] = op(a[r, c], b[c]): b broadcast over rows.
    /// Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if a is not rows·cols long, b not cols, y not a's length, <see cref="ArgumentOutOfRangeException"/> for an unknown op.
    /// </summary>
    public void BinaryRowBroadcast(BinaryOp op, ArrayView<float> a, ArrayView<float> b, int rows, int cols, ArrayView<float> y)
    {
        CheckMatrix("BinaryRowBroadcast", a, rows, cols, "a");
        CheckSameLength("BinaryRowBroadcast", cols, b.Length, "b");
        CheckSameLength("BinaryRowBroadcast", a.Length, y.Length, "y");
        if (a.Length == 0) return;
        BinaryKernelFor<BroadcastKernel>(op, BinaryForm.RowBroadcast)(a.IntExtent, a, b, cols, y);
    }

    /// <summary>
    /// a: (rows, cols), b: (rows) → y: (rows, cols), y[r, c] = op(a[r, c], b[r]): b broadcast over columns.
    /// Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if a is not rows·cols long, b not rows, y not a's length, <see cref="ArgumentOutOfRangeException"/> for an unknown op.
    /// </summary>
    public void BinaryColumnBroadcast(BinaryOp op, ArrayView<float> a, ArrayView<float> b, int rows, int cols, ArrayView<float> y)
    {
        CheckMatrix("BinaryColumnBroadcast", a, rows, cols, "a");
        CheckSameLength("BinaryColumnBroadcast", rows, b.Length, "b");
        CheckSameLength("BinaryColumnBroadcast", a.Length, y.Length, "y");
        if (a.Length == 0) return;
        BinaryKernelFor<BroadcastKernel>(op, BinaryForm.ColumnBroadcast)(a.IntExtent, a, b, cols, y);
    }

    /// <summary>
    /// x: (n) → y: (n), y = min(max(x, min), max); NaN stays NaN. Enqueued on the device's stream. Throws <see cref="ArgumentException"/> if the lengths differ or a length exceeds int.MaxValue, or
    /// min &gt; max (unlike CpuKernels.Clamp, which then gives max).
    /// </summary>
    public void Clamp(ArrayView<float> x, float min, float max, ArrayView<float> y)
    {
        CheckSameLength("Clamp", x.Length, y.Length, "y");
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        if (x.Length == 0) return;
        _clampKernel ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, float, ArrayView<float>>(
            ElementwiseKernels.Clamp);
        _clampKernel(x.IntExtent, x, min, max, y);
    }

    private TKernel BinaryKernelFor<TKernel>(BinaryOp op, BinaryForm form) where TKernel : Delegate
    {
        if (!_binaryKernels.TryGetValue((op, form), out var kernel))
            _binaryKernels[(op, form)] = kernel = OperatorDispatch.Binary(op, new LoadBinary(Accelerator, form));
        return (TKernel)kernel;
    }

    private sealed class LoadUnary(Accelerator accelerator) : IUnaryOperatorVisitor<UnaryKernel>
    {
        public UnaryKernel Visit<TOp>() where TOp : struct, IGpuUnaryOperator =>
            accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Unary<TOp>);
    }

    private sealed class LoadBinary(Accelerator accelerator, BinaryForm form) : IBinaryOperatorVisitor<Delegate>
    {
        public Delegate Visit<TOp>() where TOp : struct, IGpuBinaryOperator => form switch
        {
            BinaryForm.Elementwise => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(
                ElementwiseKernels.Binary<TOp>),
            BinaryForm.TensorScalar => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, ArrayView<float>>(
                ElementwiseKernels.BinaryScalar<TOp>),
            BinaryForm.ScalarTensor => accelerator.LoadAutoGroupedStreamKernel<Index1D, float, ArrayView<float>, ArrayView<float>>(
                ElementwiseKernels.ScalarBinary<TOp>),
            BinaryForm.RowBroadcast => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(
                ElementwiseKernels.BinaryRowBroadcast<TOp>),
            _ => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(
                ElementwiseKernels.BinaryColumnBroadcast<TOp>),
        };
    }
}
