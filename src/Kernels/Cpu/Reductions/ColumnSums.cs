using System.Numerics;
using Scratch.Kernels.Cpu.Elementwise;
using Scratch.Kernels.Cpu.Threading;

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

    private static unsafe void RunInParallel<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x) fixed (T* py = y)
        {
            var work = Work<T>.OfThisThread;
            work.X = px; work.Y = py; work.Rows = rows; work.Cols = cols;
            ChunkedReduction.ParallelBlocks(cols, ColumnBlock, work);
        }
    }

    // One block of columns per part; reused per calling thread (no closure per call).
    private sealed unsafe class Work<T> : BlockWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static Work<T>? _ofThisThread;
        public static Work<T> OfThisThread => _ofThisThread ??= new();

        public T* X, Y;
        public int Rows, Cols;

        protected override void RunBlock(int c0, int c1) =>
            SumColumns(new ReadOnlySpan<T>(X, Rows * Cols), Rows, Cols, c0, c1, new Span<T>(Y, Cols));
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
