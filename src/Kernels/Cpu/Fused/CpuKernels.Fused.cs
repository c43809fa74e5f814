using System.Numerics;
using Scratch.Kernels.Cpu.Elementwise;
using Scratch.Kernels.Cpu.Fused;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu;

// Fused kernels for the layers above: a dense layer's bias (+ ReLU) epilogue, gradient accumulation
// and optimizer steps, each one pass over memory. Each is bitwise equal to its FusedReference loop.
public static partial class CpuKernels
{
    /// <summary>
    /// y: (rows, cols), bias: (cols); y[r, c] += bias[c] in place (a dense layer's bias); bitwise equal
    /// to <see cref="FusedReference.AddBiasRows{T}"/>. Throws <see cref="ArgumentException"/> for negative rows or cols, y.Length ≠ rows·cols or bias.Length ≠ cols.
    /// </summary>
    public static void AddBiasRows<T>(Span<T> y, ReadOnlySpan<T> bias, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBiasShapes("add bias", y.Length, bias.Length, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * cols, cols);
            ElementwiseLoops.Binary<T, AddOperator<T>>(row, bias, row);
        }
    }

    /// <summary>
    /// y: (rows, cols), bias: (cols); y[r, c] = relu(y[r, c] + bias[c]) in place, NaN kept (as
    /// <see cref="UnaryOp.Relu"/>); bitwise equal to <see cref="FusedReference.AddBiasRelu{T}"/>. Throws <see cref="ArgumentException"/> for negative rows or cols, y.Length ≠ rows·cols or bias.Length ≠ cols.
    /// </summary>
    public static void AddBiasRelu<T>(Span<T> y, ReadOnlySpan<T> bias, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBiasShapes("add bias relu", y.Length, bias.Length, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * cols, cols);
            ElementwiseLoops.Binary<T, AddReluOperator<T>>(row, bias, row);
        }
    }

    /// <summary>
    /// x: (n), y: (n); y += alpha·x in place with one rounding per element (FMA), as torch's
    /// y.add_(x, alpha=alpha); bitwise equal to <see cref="FusedReference.Axpy{T}"/>.
    /// Throws <see cref="ArgumentException"/> if y.Length ≠ x.Length.
    /// </summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("axpy", x.Length, y.Length, "y");
        OptimizerKernels.Axpy(alpha, x, y);
    }

    /// <summary>
    /// One Adam (decoupled = false, L2 weight decay) or AdamW (decoupled = true) step over one parameter,
    /// in place on param, m (first moment) and v (second moment); step counts from 1.
    /// Same formulas and rounding order as torch.optim.Adam / AdamW; see <see cref="FusedReference.AdamStep{T}"/>.
    /// </summary>
    // param, grad, m, v: (n)
    public static void AdamStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v,
        T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("adam", param.Length, grad.Length, "grad");
        CheckSameLength("adam", param.Length, m.Length, "m (first moment)");
        CheckSameLength("adam", param.Length, v.Length, "v (second moment)");
        if (CpuThreads.Count > 1 && param.Length >= ParallelAdamLength)
            AdamOnTwoThreads(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step);
        else
            OptimizerKernels.Adam(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step);
    }

    // Below this a second thread costs more to wake than it saves (Adam streams 7 values per element).
    private const int ParallelAdamLength = 1 << 16;

    // Each element's update depends on that element alone, so splitting the span in two gives results
    // bitwise equal to one thread. The halves travel as pinned pointers in a reusable work item.
    private static unsafe void AdamOnTwoThreads<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v,
        T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* p = param, g = grad, pm = m, pv = v)
        {
            var work = AdamWork<T>.OfThisThread;
            work.Set(p, g, pm, pv, param.Length, lr, beta1, beta2, eps, weightDecay, decoupled, step);
            WorkerPool.Run(work, 2);
        }
    }

    private sealed unsafe class AdamWork<T> : ParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static AdamWork<T>? _ofThisThread;
        public static AdamWork<T> OfThisThread => _ofThisThread ??= new();

        private T* _p, _g, _m, _v;
        private int _n, _step;
        private T _lr, _beta1, _beta2, _eps, _weightDecay;
        private bool _decoupled;

        public void Set(T* p, T* g, T* m, T* v, int n, T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step)
        {
            _p = p; _g = g; _m = m; _v = v; _n = n; _step = step;
            (_lr, _beta1, _beta2, _eps, _weightDecay, _decoupled) = (lr, beta1, beta2, eps, weightDecay, decoupled);
        }

        // Part 0: [0, half), part 1: [half, n); half on a cache-line-friendly boundary.
        public override void Run(int part)
        {
            int half = (_n / 2) & ~63;
            int from = part == 0 ? 0 : half, length = part == 0 ? half : _n - half;
            OptimizerKernels.Adam(new Span<T>(_p + from, length), new ReadOnlySpan<T>(_g + from, length),
                new Span<T>(_m + from, length), new Span<T>(_v + from, length),
                _lr, _beta1, _beta2, _eps, _weightDecay, _decoupled, _step);
        }
    }

    /// <summary>
    /// One torch.optim.SGD step in place: weight decay (L2), momentum with dampening, optional Nesterov.
    /// momentumBuffer must have param's length when momentum ≠ 0 (it is written on step 1) and may be
    /// empty when momentum is 0. step counts from 1. See <see cref="FusedReference.SgdStep{T}"/>.
    /// </summary>
    // param, grad, momentumBuffer: (n)
    public static void SgdStep<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer,
        T lr, T momentum, T dampening, T weightDecay, bool nesterov, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("sgd", param.Length, grad.Length, "grad");
        if (momentum != T.Zero) CheckSameLength("sgd", param.Length, momentumBuffer.Length, "momentum buffer");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "sgd: step counts from 1.");
        if (nesterov && (momentum <= T.Zero || dampening != T.Zero))
            throw new ArgumentException($"sgd: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum={momentum}, dampening={dampening}.");
        OptimizerKernels.Sgd(param, grad, momentumBuffer, lr, momentum, dampening, weightDecay, nesterov, step);
    }

    private static void CheckBiasShapes(string op, int yLength, int biasLength, int rows, int cols)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentException($"{op}: rows and cols must be non-negative, got rows={rows}, cols={cols}.");
        CheckSameLength(op, checked(rows * cols), yLength, "y");
        CheckSameLength(op, cols, biasLength, "bias");
    }
}
