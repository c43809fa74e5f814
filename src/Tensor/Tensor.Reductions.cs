namespace Scratch;

// Reductions: over everything, or along one axis. Along an axis the tensor is viewed as
// (outer, axis, inner); the last axis is a row reduction, the others column sums per outer block,
// so no transpose is ever materialized for Sum.
public sealed partial class Tensor
{
    /// <summary>Σ of all elements, as a 0-D tensor.</summary>
    public Tensor Sum()
    {
        var y = Empty([], DType, Device);
        Backend.Sum(Buffer(), y.Buffer());
        return y;
    }

    /// <summary>Mean of all elements, as a 0-D tensor (NaN for an empty tensor, as in PyTorch).</summary>
    public Tensor Mean() => Sum().Div(Numel);

    /// <summary>Maximum of all elements, as a 0-D tensor.</summary>
    /// <exception cref="ArgumentException">The tensor has no elements.</exception>
    public Tensor Max()
    {
        if (Numel == 0) throw new ArgumentException($"max: shape {Shapes.Format(_shape)} has no elements");
        var y = Empty([], DType, Device);
        Backend.Max(Buffer(), y.Buffer());
        return y;
    }

    /// <summary>Σ along one axis; keepDim leaves it as size 1 (handy for broadcasting back).</summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is out of range.</exception>
    public Tensor Sum(int axis, bool keepDim = false)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "sum");
        var (outer, length, inner) = Split(ax);
        var y = Empty(ReducedShape(ax, keepDim), DType, Device);
        var x = Buffer();
        var output = y.Buffer();
        if (inner == 1)
            Backend.SumLastAxis(x, outer, length, output);
        else
            for (int o = 0; o < outer; o++)
                Backend.ColumnSums(new Buf(x.Storage, x.Offset + o * length * inner, length * inner), length, inner,
                    new Buf(output.Storage, output.Offset + o * inner, inner));
        return y;
    }

    /// <summary>
    /// The mean along one axis (negative counts from the end): (B, F).Mean(0) → (F); with
    /// <paramref name="keepDim"/> the axis stays as size 1, (B, F).Mean(1, true) → (B, 1).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is out of range.</exception>
    public Tensor Mean(int axis, bool keepDim = false)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "mean");
        return Sum(ax, keepDim).Div(_shape[ax]);
    }

    /// <summary>Maximum along one axis.</summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is out of range or has size 0.</exception>
    public Tensor Max(int axis, bool keepDim = false)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "max");
        if (_shape[ax] == 0) throw new ArgumentException($"max: axis {ax} of shape {Shapes.Format(_shape)} is empty");
        // Move the axis last (a view), then make rows contiguous: max runs along rows.
        var moved = ax == Rank - 1 ? this : Transpose(ax, Rank - 1).Contiguous();
        var (outer, length, _) = moved.Split(Rank - 1);
        var y = Empty([outer], DType, Device);
        Backend.MaxLastAxis(moved.Buffer(), outer, length, y.Buffer());
        if (ax == Rank - 1) return y.Reshape(ReducedShape(ax, keepDim));
        // The transposed order put the swapped axis's sizes in a different place: restore them.
        var movedShape = moved.ShapeArray[..^1];
        return y.Reshape(movedShape).Unsqueeze(movedShape.Length).Transpose(ax, Rank - 1).Contiguous().Reshape(ReducedShape(ax, keepDim));
    }

    /// <summary>
    /// Sums a broadcast result back to <paramref name="shape"/>: the gradient of broadcasting.
    /// (B, F) → (F) sums the batch axis; (B, F) → (B, 1) sums the features.
    /// </summary>
    /// <exception cref="ArgumentException">This tensor's shape is not a broadcast of <paramref name="shape"/>.</exception>
    public Tensor SumTo(ReadOnlySpan<int> shape)
    {
        if (Shapes.SameShape(_shape, shape)) return this;
        var target = shape.ToArray();
        var check = Shapes.Broadcast(target, _shape, "sum to");
        if (!Shapes.SameShape(check, _shape))
            throw new ArgumentException($"sum to: shape {Shapes.Format(_shape)} does not broadcast from {Shapes.Format(target)}");
        var result = this;
        int lead = Rank - target.Length;
        for (int i = 0; i < lead; i++) result = result.Sum(0);
        for (int i = 0; i < target.Length; i++)
            if (target[i] == 1 && result._shape[i] != 1) result = result.Sum(i, keepDim: true);
        return result;
    }

    /// <summary>Inserts an axis of size 1 (a view).</summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is outside [−Rank − 1, Rank].</exception>
    public Tensor Unsqueeze(int axis)
    {
        if (axis < 0) axis += Rank + 1;
        if (axis < 0 || axis > Rank) throw new ArgumentException($"unsqueeze: axis {axis} is out of range for rank {Rank}");
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.Insert(axis, 1);
        strides.Insert(axis, axis < Rank ? _strides[axis] * _shape[axis] : 1);
        return new Tensor(Storage, Offset, shape.ToArray(), strides.ToArray());
    }

    private (int Outer, int Length, int Inner) Split(int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= _shape[i];
        for (int i = axis + 1; i < Rank; i++) inner *= _shape[i];
        return (outer, _shape[axis], inner);
    }

    private int[] ReducedShape(int axis, bool keepDim)
    {
        var shape = new List<int>(_shape);
        if (keepDim) shape[axis] = 1;
        else shape.RemoveAt(axis);
        return shape.ToArray();
    }
}
