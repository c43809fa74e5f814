using System.Numerics;
using Scratch.Kernels.Cpu.Reductions;

namespace Scratch.Kernels.Cpu;

// The reduction entry points (Reductions/*.cs). Determinism: work is split into fixed chunks and
// combined in a fixed order, so 1 or N threads give bitwise-equal results (CpuThreads).
// Sum and SumLastAxis differ from Reference's sequential sum by rounding only (tests bound the error
// by a few ulps of Σ|x|); Max, MaxLastAxis and ColumnSums are bitwise equal to Reference
// (Max: -0 and +0 compare equal and either may come back).
public static partial class CpuKernels
{
    /// <summary>
    /// Σ x; 0 for an empty span. Added in fixed chunks combined in a fixed order, so bitwise the same on
    /// any <see cref="CpuThreads.Count"/>; differs from <see cref="Reference.Sum{T}"/> by rounding only.
    /// </summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        ChunkedReduction.Run<T, SumReducer<T>>(x);

    /// <summary>Maximum; NaN if any element is NaN; -Inf for an empty span.</summary>
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        ChunkedReduction.Run<T, MaxReducer<T>>(x);

    /// <summary>x: (rows, cols) → y: (rows), y[r] = Σ_c x[r, c]; 0 when cols = 0. Throws <see cref="ArgumentException"/> for negative rows or cols or wrong span lengths.</summary>
    public static void SumLastAxis<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRowsCols("sum", rows, cols);
        CheckSameLength("sum", checked(rows * cols), x.Length, "input");
        CheckSameLength("sum", rows, y.Length, "output");
        RowReductions.Run<T, SumReducer<T>>(x, rows, cols, y);
    }

    /// <summary>x: (rows, cols) → y: (rows), y[r] = max_c x[r, c]; NaN if the row holds one, −∞ when cols = 0. Throws <see cref="ArgumentException"/> for negative rows or cols or wrong span lengths.</summary>
    public static void MaxLastAxis<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRowsCols("max", rows, cols);
        CheckSameLength("max", checked(rows * cols), x.Length, "input");
        CheckSameLength("max", rows, y.Length, "output");
        RowReductions.Run<T, MaxReducer<T>>(x, rows, cols, y);
    }

    /// <summary>
    /// x: (rows, cols) → y: (cols), y[c] = Σ_r x[r, c] (a dense layer's bias gradient); bitwise equal to
    /// <see cref="Reference.ColumnSums{T}"/>. Throws <see cref="ArgumentException"/> for negative rows or cols or wrong span lengths.
    /// </summary>
    public static void ColumnSums<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRowsCols("column sums", rows, cols);
        CheckSameLength("column sums", checked(rows * cols), x.Length, "input");
        CheckSameLength("column sums", cols, y.Length, "output");
        Reductions.ColumnSums.Run(x, rows, cols, y);
    }

    private static void CheckRowsCols(string op, int rows, int cols)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentException($"{op}: rows and cols must be non-negative, got rows={rows}, cols={cols}.");
    }
}
