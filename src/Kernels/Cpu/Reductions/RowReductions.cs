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
    public static unsafe void Run<T, TReducer>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        // Blocks of rows big enough (≈ 16 Ki elements) that a thread hand-off is worth it.
        int rowBlock = Math.Max(1, ChunkedReduction.ChunkLength / Math.Max(1, cols));
        fixed (T* px = x) fixed (T* py = y)
        {
            nint xa = (nint)px, ya = (nint)py;
            ChunkedReduction.ForBlocks(rows, rowBlock, (long)rows * cols, (r0, r1) =>
            {
                var xs = new ReadOnlySpan<T>((void*)xa, rows * cols);
                var ys = new Span<T>((void*)ya, rows);
                for (int r = r0; r < r1; r++)
                    ys[r] = ChunkedReduction.Run<T, TReducer>(xs.Slice(r * cols, cols), allowThreads: false);
            });
        }
    }
}
