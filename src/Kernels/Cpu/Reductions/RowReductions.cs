using System.Numerics;

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

    // Separate so the lambda's closure is only allocated when threads are used.
    private static unsafe void RunInParallel<T, TReducer>(ReadOnlySpan<T> x, int rows, int cols, int rowBlock, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        fixed (T* px = x) fixed (T* py = y)
        {
            nint xa = (nint)px, ya = (nint)py;
            int length = x.Length;
            ChunkedReduction.ParallelBlocks(rows, rowBlock, (r0, r1) =>
                ReduceRows<T, TReducer>(new ReadOnlySpan<T>((void*)xa, length), cols, r0, r1, new Span<T>((void*)ya, rows)));
        }
    }

    // x: (rows, cols) → y[r0..r1)
    private static void ReduceRows<T, TReducer>(ReadOnlySpan<T> x, int cols, int r0, int r1, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        for (int r = r0; r < r1; r++)
            y[r] = ChunkedReduction.Run<T, TReducer>(x.Slice(r * cols, cols), allowThreads: false);
    }
}
