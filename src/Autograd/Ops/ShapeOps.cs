namespace Scratch.Autograd;

// Reshape, transpose, slice/split and concat: they move elements without changing them, so the
// backward moves the gradient back the same way.
public sealed partial class Variable
{
    /// <summary>
    /// The same elements in a new shape, one dimension may be −1 (inferred): (N, 784).Reshape(N, 1, 28, 28).
    /// A view when the value is contiguous. Backward: dx = dy reshaped to x's shape.
    /// </summary>
    /// <exception cref="ArgumentException">The element counts differ, or the shape has a negative dimension other than one −1.</exception>
    public Variable Reshape(params int[] shape)
    {
        var original = ShapeArray;
        return Record.Op("reshape", Data.Reshape(shape), [this], dy => [dy.Reshape(original)]);
    }

    /// <summary>Merges axes startDim..endDim into one (a view when contiguous): (N, C, H, W) → (N, C·H·W) by default.</summary>
    /// <exception cref="ArgumentException">An axis is out of range, or startDim comes after endDim.</exception>
    public Variable Flatten(int startDim = 1, int endDim = -1)
    {
        int start = Shapes.NormalizeAxis(startDim, Rank, "flatten"), end = Shapes.NormalizeAxis(endDim, Rank, "flatten");
        if (start > end)
            throw new ArgumentException($"flatten: start_dim {startDim} comes after end_dim {endDim} for shape {Shapes.Format(Shape)}");
        var shape = ShapeArray;
        int merged = 1;
        for (int d = start; d <= end; d++) merged *= shape[d];
        return Reshape([.. shape[..start], merged, .. shape[(end + 1)..]]);
    }

    /// <summary>Splits one axis into several (a view when contiguous): Unflatten(1, 64, 7, 7) turns (N, 3136) into (N, 64, 7, 7).</summary>
    /// <exception cref="ArgumentException"><paramref name="dim"/> is out of range, or the sizes are empty, not positive, or do not multiply to its size.</exception>
    public Variable Unflatten(int dim, params int[] sizes)
    {
        int ax = Shapes.NormalizeAxis(dim, Rank, "unflatten");
        long product = sizes.Aggregate(1L, (a, s) => a * s);
        if (sizes.Length == 0 || sizes.Any(s => s <= 0) || product != Shape[ax])
            throw new ArgumentException($"unflatten: sizes ({string.Join(", ", sizes)}) do not multiply to axis {ax} of shape {Shapes.Format(Shape)}");
        var shape = ShapeArray;
        return Reshape([.. shape[..ax], .. sizes, .. shape[(ax + 1)..]]);
    }

    /// <summary>Swaps two axes (a view): (M, N) → (N, M). Backward: dx = dy with the same two axes swapped back.</summary>
    /// <exception cref="ArgumentException">An axis is out of range.</exception>
    public Variable Transpose(int axis0 = 0, int axis1 = 1) =>
        Record.Op("transpose", Data.Transpose(axis0, axis1), [this], dy => [dy.Transpose(axis0, axis1).Contiguous()]);

    /// <summary>Elements start..start+length−1 along an axis; the gradient lands in that window, zeros elsewhere.</summary>
    /// <exception cref="ArgumentException">The axis is out of range, or [start, start + length) is not inside it.</exception>
    public Variable Slice(int axis, int start, int length)
    {
        var shape = ShapeArray;
        int ax = Shapes.NormalizeAxis(axis, Rank, "slice");
        return Record.Op("slice", Data.Slice(ax, start, length), [this], dy =>
        {
            var dx = Tensor.Zeros(shape, dy.DType, dy.Device);
            dx.Slice(ax, start, length).CopyFrom(dy);
            return [dx];
        });
    }

    /// <summary>Splits an axis into consecutive parts of the given sizes (μ and log σ² from one head).</summary>
    /// <exception cref="ArgumentException">The axis is out of range, or the sizes are negative or do not add up to its size.</exception>
    public Variable[] Split(int axis, params int[] sizes)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "split");
        if (sizes.Any(s => s < 0) || sizes.Sum() != Shape[ax])
            throw new ArgumentException($"split: sizes ({string.Join(", ", sizes)}) do not add up to axis {ax} of shape {Shapes.Format(Shape)}");
        var parts = new Variable[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Slice(ax, at, sizes[i]);
            at += sizes[i];
        }
        return parts;
    }

    /// <summary>Joins variables along an axis; each gets back its own slice of the gradient.</summary>
    /// <exception cref="ArgumentException">No parts are given, the axis is out of range, shapes differ outside the axis, or dtypes or devices differ.</exception>
    public static Variable Concat(IReadOnlyList<Variable> parts, int axis)
    {
        var y = Tensor.Concat(parts.Select(p => p.Data).ToArray(), axis);
        int ax = Shapes.NormalizeAxis(axis, y.Rank, "concat");
        var sizes = parts.Select(p => p.Shape[ax]).ToArray();
        return Record.Op("concat", y, parts.ToArray(), dy =>
        {
            var grads = new Tensor?[sizes.Length];
            int at = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                grads[i] = dy.Slice(ax, at, sizes[i]).Contiguous();
                at += sizes[i];
            }
            return grads;
        });
    }
}
