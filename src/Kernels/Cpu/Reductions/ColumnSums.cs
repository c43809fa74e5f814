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
    public static unsafe void Run<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x) fixed (T* py = y)
        {
            nint xa = (nint)px, ya = (nint)py;
            ChunkedReduction.ForBlocks(cols, ColumnBlock, (long)rows * cols, (c0, c1) =>
            {
                var xs = new ReadOnlySpan<T>((void*)xa, rows * cols);
                var ys = new Span<T>((void*)ya, cols).Slice(c0, c1 - c0);
                ys.Clear();
                for (int r = 0; r < rows; r++)
                    ElementwiseLoops.Binary<T, AddOperator<T>>(ys, xs.Slice(r * cols + c0, c1 - c0), ys);
            });
        }
    }
}
