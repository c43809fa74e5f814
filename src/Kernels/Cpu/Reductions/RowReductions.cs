using System.Numerics;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu.Reductions;

/// <summary>
/// One reduction per row of a row-major (rows, cols) matrix: y[r] = reduce(x[r, :]).
/// Each row is reduced by the same chunked reducer as a whole-span reduction (single-threaded inside
/// a row); threads take fixed blocks of rows. A row's result never depends on which thread did it.
/// </summary>
internal static class RowReductions
{
    // x: (rows, cols) → y: (rows)
    public static void Run<T, TReducer>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        // Blocks of rows big enough (≈ 16 Ki elements) that a thread hand-off is worth it.
        int rowBlock = Math.Max(1, ChunkedReduction.ChunkLength / Math.Max(1, cols));
        int blocks = (rows + rowBlock - 1) / rowBlock;
        if (ChunkedReduction.ShouldThread(blocks, (long)rows * cols)) RunInParallel<T, TReducer>(x, rows, cols, rowBlock, y);
        else ReduceRows<T, TReducer>(x, cols, 0, rows, y);
    }

    private static unsafe void RunInParallel<T, TReducer>(ReadOnlySpan<T> x, int rows, int cols, int rowBlock, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        fixed (T* px = x) fixed (T* py = y)
        {
            var work = Work<T, TReducer>.OfThisThread;
            work.X = px; work.Y = py; work.Rows = rows; work.Cols = cols;
            ChunkedReduction.ParallelBlocks(rows, rowBlock, work);
        }
    }

    // One block of rows per part; reused per calling thread (no closure per call).
    private sealed unsafe class Work<T, TReducer> : BlockWork
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        [ThreadStatic] private static Work<T, TReducer>? _ofThisThread;
        public static Work<T, TReducer> OfThisThread => _ofThisThread ??= new();

        public T* X, Y;
        public int Rows, Cols;

        protected override void RunBlock(int r0, int r1) =>
            ReduceRows<T, TReducer>(new ReadOnlySpan<T>(X, Rows * Cols), Cols, r0, r1, new Span<T>(Y, Rows));
    }

    // x: (rows, cols) → y[r0..r1)
    private static void ReduceRows<T, TReducer>(ReadOnlySpan<T> x, int cols, int r0, int r1, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        for (int r = r0; r < r1; r++)
            y[r] = ChunkedReduction.Run<T, TReducer>(x.Slice(r * cols, cols), allowThreads: false);
    }
}
