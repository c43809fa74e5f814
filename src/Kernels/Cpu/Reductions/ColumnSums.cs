using System.Numerics;
using Scratch.Kernels.Cpu.Elementwise;

namespace Scratch.Kernels.Cpu.Reductions;

/// <summary>
/// y[c] = Σ_r x[r, c], the bias gradient of a dense layer. Rows are contiguous, so the vectors run
/// ACROSS columns: y[c0..c1) += x[r, c0..c1) for r = 0, 1, ... Every column is still summed in row
/// order starting from 0, exactly as Reference.ColumnSums does, so the result is bitwise equal to
/// Reference (not just close). Threads take fixed blocks of columns, which keeps that order.
/// </summary>
internal static class ColumnSums
{
    private const int ColumnBlock = 1024; // y block stays in L1 while all rows stream past it

    // x: (rows, cols) → y: (cols)
    public static void Run<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int blocks = (cols + ColumnBlock - 1) / ColumnBlock;
        if (ChunkedReduction.ShouldThread(blocks, (long)rows * cols)) RunInParallel(x, rows, cols, y);
        else SumColumns(x, rows, cols, 0, cols, y);
    }

    // Its own method because the lambda's closure (rows, cols, ...) is allocated on entry to the
    // method that declares the captured variables: the single-threaded path must not pay for it.
    private static unsafe void RunInParallel<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A span cannot enter a lambda; the pinned addresses can.
        fixed (T* px = x) fixed (T* py = y)
        {
            nint xa = (nint)px, ya = (nint)py;
            int length = x.Length;
            ChunkedReduction.ParallelBlocks(cols, ColumnBlock, (c0, c1) =>
                SumColumns(new ReadOnlySpan<T>((void*)xa, length), rows, cols, c0, c1, new Span<T>((void*)ya, cols)));
        }
    }

    // x: (rows, cols) → y[c0..c1)
    private static void SumColumns<T>(ReadOnlySpan<T> x, int rows, int cols, int c0, int c1, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ys = y[c0..c1];
        ys.Clear();
        for (int r = 0; r < rows; r++)
            ElementwiseLoops.Binary<T, AddOperator<T>>(ys, x.Slice(r * cols + c0, c1 - c0), ys);
    }
}
