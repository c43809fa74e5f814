using System.Buffers;
using System.Numerics;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu;

// The binary cross-entropy on logits, fused: the loss of every element and its sum in one sweep
// (the composition takes six passes and six buffers), and the gradient in one more. Both run in
// fixed chunks, on the engine's worker threads when the span is long enough.
public static partial class CpuKernels
{
    // Elements per chunk: small enough for the stack and L1, large enough for the SIMD loops.
    private const int LossChunk = 2048;

    /// <summary>
    /// Σᵢ softplus(xᵢ) − xᵢ·tᵢ, i.e. Σ max(x, 0) − x·t + ln(1 + e^−|x|): BCE of logits x against targets t.
    /// Computed chunk by chunk with the SIMD softplus, chunk sums added in order — the same result
    /// whatever the thread count. logits, target: (n).
    /// </summary>
    public static T BceWithLogitsSum<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("bce with logits", logits.Length, target.Length, "target");
        int chunks = (logits.Length + LossChunk - 1) / LossChunk;
        if (!ShouldThreadLoss(chunks, logits.Length))
        {
            T sum = T.Zero;
            for (int c = 0; c < chunks; c++) sum += BceChunkSum(logits, target, c);
            return sum;
        }
        // The same chunk sums on two threads, each into its own slot, then added in chunk order: the
        // result is bitwise the one-thread sum.
        var partials = ArrayPool<T>.Shared.Rent(chunks);
        try
        {
            LossWork<T>.Run(logits, target, default, T.Zero, partials, chunks);
            T total = T.Zero;
            for (int c = 0; c < chunks; c++) total += partials[c];
            return total;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    // Σ over chunk c of softplus(x) − x·t, in L1-sized stack buffers.
    private static T BceChunkSum<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int start = c * LossChunk, n = Math.Min(LossChunk, logits.Length - start);
        Span<T> loss = stackalloc T[n];
        Span<T> product = stackalloc T[n];
        var x = logits.Slice(start, n);
        Unary(UnaryOp.Softplus, x, loss);
        Binary(BinaryOp.Mul, x, target.Slice(start, n), product);
        Binary(BinaryOp.Sub, loss, product, loss);
        return Sum<T>(loss);
    }

    /// <summary>grad = (σ(x) − t)·scale, the gradient of the BCE sum times the output gradient. All (n).</summary>
    public static void BceWithLogitsBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, T scale, Span<T> grad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("bce with logits backward", logits.Length, target.Length, "target");
        CheckSameLength("bce with logits backward", logits.Length, grad.Length, "gradient");
        int chunks = (logits.Length + LossChunk - 1) / LossChunk;
        if (ShouldThreadLoss(chunks, logits.Length))
            LossWork<T>.Run(logits, target, grad, scale, null, chunks);
        else
            for (int c = 0; c < chunks; c++) BceChunkGradient(logits, target, scale, grad, c);
    }

    // Chunk c of the gradient; every element depends on its own x and t only.
    private static void BceChunkGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, T scale, Span<T> grad, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int start = c * LossChunk, n = Math.Min(LossChunk, logits.Length - start);
        var g = grad.Slice(start, n);
        Unary(UnaryOp.Sigmoid, logits.Slice(start, n), g);
        Binary(BinaryOp.Sub, g, target.Slice(start, n), g);
        BinaryScalar(BinaryOp.Mul, g, scale, g);
    }

    // The loss costs ~12 cycles an element (an exp, a log and a division per lane), so a second thread
    // pays from a few chunks on: a VAE batch's 128 × 784 outputs take ~0.3 ms on one thread.
    private const int ParallelLossLength = 1 << 14;

    private static bool ShouldThreadLoss(int chunks, int length) =>
        chunks > 1 && CpuThreads.Count > 1 && length >= ParallelLossLength;

    // Part c runs chunk c: its sum into Partials[c] (forward), or its gradient (backward). Reused per
    // calling thread, operands as pinned pointers (no closure per call).
    private sealed unsafe class LossWork<T> : ParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static LossWork<T>? _ofThisThread;

        private T* _x, _t, _grad;
        private int _n;
        private T _scale;
        private T[]? _partials;

        public static void Run(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, Span<T> grad, T scale, T[]? partials, int chunks)
        {
            var work = _ofThisThread ??= new();
            fixed (T* x = logits, t = target, g = grad)
            {
                work._x = x; work._t = t; work._grad = g;
                (work._n, work._scale, work._partials) = (logits.Length, scale, partials);
                try { WorkerPool.Run(work, chunks); }
                finally { work._partials = null; }
            }
        }

        public override void Run(int c)
        {
            var logits = new ReadOnlySpan<T>(_x, _n);
            var target = new ReadOnlySpan<T>(_t, _n);
            if (_partials is not null) _partials[c] = BceChunkSum(logits, target, c);
            else BceChunkGradient(logits, target, _scale, new Span<T>(_grad, _n), c);
        }
    }
}
