namespace Scratch;

/// <summary>
/// Shape arithmetic shared by every op: element counts that cannot overflow silently,
/// row-major strides, NumPy broadcasting, and the "(3, 2)" form used in every error message.
/// </summary>
public static class Shapes
{
    /// <summary>A shape as it appears in error messages: (3, 2) for a matrix, () for a scalar.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>The number of elements; rejects negative dimensions and counts beyond int.MaxValue.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the product exceeds int.MaxValue; the message starts with <paramref name="op"/>.</exception>
    public static int ElementCount(ReadOnlySpan<int> shape, string op = "tensor")
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"{op}: shape {Format(shape)} has a negative dimension");
            n *= d;
            if (n > int.MaxValue)
                throw new ArgumentException($"{op}: shape {Format(shape)} has more than {int.MaxValue} elements");
        }
        return (int)n;
    }

    // Row-major: the last axis is contiguous. shape (B, F) → strides (F, 1).
    /// <summary>
    /// The strides of a row-major (C-order) layout: the last axis varies fastest. (B, F) → (F, 1);
    /// (N, C, H, W) → (C·H·W, H·W, W, 1). A zero dimension counts as 1 so later strides stay distinct.
    /// </summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    /// <summary>
    /// NumPy broadcasting: align shapes on the right; each pair of dimensions must be equal or
    /// one of them 1. (4, 3) with (3) → (4, 3); (4, 1) with (1, 5) → (4, 5).
    /// </summary>
    /// <exception cref="ArgumentException">Some pair of dimensions differs with neither being 1; the message starts with <paramref name="op"/>.</exception>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Resolves an axis that may be negative (-1 is the last) and checks its range.</summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is outside [−rank, rank).</exception>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentException($"{op}: axis {axis} is out of range for a tensor of rank {rank}");
        return a;
    }

    /// <summary>True when both shapes have the same rank and the same size on every axis (no broadcasting).</summary>
    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
