namespace Scratch;

// Views: new shapes and strides over the same storage, copying only when the layout forces it.
public sealed partial class Tensor
{
    /// <summary>
    /// The same elements in a new shape; one dimension may be -1 (inferred). A view when this
    /// tensor is contiguous, otherwise a contiguous copy.
    /// </summary>
    /// <exception cref="ArgumentException">The element counts differ, a dimension is negative other than one −1, or more than one −1 is given.</exception>
    public Tensor Reshape(params int[] shape)
    {
        var resolved = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"reshape: shape {Shapes.Format(shape)} has more than one -1");
                infer = i;
            }
            else if (resolved[i] < 0) throw new ArgumentException($"reshape: shape {Shapes.Format(shape)} has a negative dimension");
            else known *= resolved[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Numel % known != 0)
                throw new ArgumentException($"reshape: cannot reshape {Shapes.Format(_shape)} ({Numel} elements) into {Shapes.Format(shape)}");
            resolved[infer] = (int)(Numel / known);
        }
        if (Shapes.ElementCount(resolved, "reshape") != Numel)
            throw new ArgumentException($"reshape: cannot reshape {Shapes.Format(_shape)} ({Numel} elements) into {Shapes.Format(shape)}");
        var source = Contiguous();
        return new Tensor(source.Storage, source.Offset, resolved, Shapes.ContiguousStrides(resolved));
    }

    /// <summary>Swaps two axes: a view, no copy. For a matrix, Transpose(0, 1) is Aᵀ.</summary>
    /// <exception cref="ArgumentException">An axis is out of range.</exception>
    public Tensor Transpose(int axis0 = 0, int axis1 = 1)
    {
        int a = Shapes.NormalizeAxis(axis0, Rank, "transpose"), b = Shapes.NormalizeAxis(axis1, Rank, "transpose");
        var shape = ShapeArray;
        var strides = (int[])_strides.Clone();
        (shape[a], shape[b]) = (shape[b], shape[a]);
        (strides[a], strides[b]) = (strides[b], strides[a]);
        return new Tensor(Storage, Offset, shape, strides);
    }

    /// <summary>The matrix transpose of a 2-D tensor (a view).</summary>
    /// <exception cref="InvalidOperationException">The tensor is not 2-D.</exception>
    public Tensor T
    {
        get
        {
            if (Rank != 2) throw new InvalidOperationException($"T: needs a 2-D tensor, got shape {Shapes.Format(_shape)}");
            return Transpose(0, 1);
        }
    }

    /// <summary>
    /// Elements start..start+length−1 along one axis: a view. Slicing the first axis of a
    /// contiguous tensor gives a contiguous view (a batch of rows).
    /// </summary>
    /// <exception cref="ArgumentException">The axis is out of range, or [start, start + length) is not inside it.</exception>
    public Tensor Slice(int axis, int start, int length)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "slice");
        if (start < 0 || length < 0 || (long)start + length > _shape[ax])
            throw new ArgumentException($"slice: [{start}, {(long)start + length}) is outside axis {ax} of size {_shape[ax]} (shape {Shapes.Format(_shape)})");
        var shape = ShapeArray;
        shape[ax] = length;
        return new Tensor(Storage, Offset + start * _strides[ax], shape, (int[])_strides.Clone());
    }

    /// <summary>A view of this tensor broadcast to a larger shape (stride 0 on the repeated axes).</summary>
    /// <exception cref="ArgumentException">This shape does not broadcast to <paramref name="shape"/> (each dimension must equal the target's or be 1).</exception>
    public Tensor BroadcastTo(int[] shape)
    {
        var target = Shapes.Broadcast(_shape, shape, "broadcast");
        if (!Shapes.SameShape(target, shape))
            throw new ArgumentException($"broadcast: shape {Shapes.Format(_shape)} cannot be broadcast to {Shapes.Format(shape)}");
        var strides = new int[shape.Length];
        int lead = shape.Length - Rank;
        for (int i = 0; i < Rank; i++)
            strides[lead + i] = _shape[i] == 1 && shape[lead + i] != 1 ? 0 : _strides[i];
        return new Tensor(Storage, Offset, (int[])shape.Clone(), strides);
    }

    /// <summary>Joins tensors along an axis; all other dimensions must agree.</summary>
    /// <exception cref="ArgumentException">No parts are given, the axis is out of range, shapes differ outside the axis, or dtypes or devices differ.</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis)
    {
        if (parts.Count == 0) throw new ArgumentException("concat: no tensors given");
        var first = parts[0];
        int ax = Shapes.NormalizeAxis(axis, first.Rank, "concat");
        var shape = first.ShapeArray;
        int total = 0;
        foreach (var p in parts)
        {
            CheckSameDTypeAndDevice("concat", first, p);
            bool compatible = p.Rank == first.Rank;
            for (int d = 0; compatible && d < p.Rank; d++)
                if (d != ax && p._shape[d] != first._shape[d]) compatible = false;
            if (!compatible)
                throw new ArgumentException($"concat: shapes {string.Join(" and ", parts.Select(q => Shapes.Format(q._shape)))} differ outside axis {ax}");
            total += p._shape[ax];
        }
        shape[ax] = total;
        var result = Empty(shape, first.DType, first.Device);
        int at = 0;
        foreach (var p in parts)
        {
            result.Slice(ax, at, p._shape[ax]).CopyFrom(p);
            at += p._shape[ax];
        }
        return result;
    }

    /// <summary>Copies <paramref name="source"/> (same shape) into this view, element by element.</summary>
    /// <exception cref="ArgumentException">The shapes, dtypes or devices differ.</exception>
    public void CopyFrom(Tensor source)
    {
        if (!Shapes.SameShape(_shape, source._shape))
            throw new ArgumentException($"copy: shapes {Shapes.Format(source._shape)} and {Shapes.Format(_shape)} differ");
        CheckSameDTypeAndDevice("copy", this, source);
        if (IsContiguous)
        {
            Backend.Gather(source.Storage, source.Offset, source._shape, source._strides, Buffer());
            return;
        }
        // A strided destination whose rows are contiguous (a column block of a matrix, as when a
        // slice's gradient lands in a wider zero tensor): copy run by run, no per-row objects.
        var src = source.Contiguous();
        if (Rank >= 1 && _strides[^1] == 1)
        {
            int inner = _shape[^1], runs = Numel / Math.Max(inner, 1);
            int[] runShape = [inner], runStrides = [1];
            var index = new int[Rank - 1];
            for (int run = 0; run < runs && inner > 0; run++)
            {
                int offset = Offset;
                for (int d = 0; d < Rank - 1; d++) offset += index[d] * _strides[d];
                Backend.Gather(src.Storage, src.Offset + run * inner, runShape, runStrides, new Buf(Storage, offset, inner));
                for (int d = Rank - 2; d >= 0; d--)
                {
                    if (++index[d] < _shape[d]) break;
                    index[d] = 0;
                }
            }
            return;
        }
        // Otherwise (a strided last axis): one leading index at a time.
        for (int i = 0; i < _shape[0]; i++) Slice(0, i, 1).Reshape0().CopyFrom(src.Slice(0, i, 1).Reshape0());
    }

    // Drops a leading axis of size 1 without copying (internal helper for CopyFrom).
    private Tensor Reshape0() => new(Storage, Offset, _shape[1..], _strides[1..]);
}
