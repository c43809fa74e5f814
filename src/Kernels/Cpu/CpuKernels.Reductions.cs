using System.Numerics;

namespace Scratch.Kernels.Cpu;

public static partial class CpuKernels
{
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Reference.Sum(x);

    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Reference.Max(x);

    // x: (rows, cols) → y: (rows)
    public static void SumLastAxis<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("sum", checked(rows * cols), x.Length, "input");
        CheckSameLength("sum", rows, y.Length, "output");
        Reference.SumLastAxis(x, rows, cols, y);
    }

    // x: (rows, cols) → y: (rows)
    public static void MaxLastAxis<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("max", checked(rows * cols), x.Length, "input");
        CheckSameLength("max", rows, y.Length, "output");
        Reference.MaxLastAxis(x, rows, cols, y);
    }

    // x: (rows, cols) → y: (cols)
    public static void ColumnSums<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("column sums", checked(rows * cols), x.Length, "input");
        CheckSameLength("column sums", cols, y.Length, "output");
        Reference.ColumnSums(x, rows, cols, y);
    }
}
