namespace Scratch.Autograd;

// Sum and mean, over everything or one axis. Their backward broadcasts the output gradient back
// over the reduced elements: every element contributed with weight 1 (or 1/n for a mean).
public sealed partial class Variable
{
    /// <summary>y = Σ x over every element, a 0-D result. Backward: dx = dy broadcast to x's shape (every element had weight 1).</summary>
    public Variable Sum()
    {
        var shape = ShapeArray;
        return Record.Op("sum", Data.Sum(), [this], dy => [dy.BroadcastTo(shape).Contiguous()]);
    }

    /// <summary>y = (Σ x)/n over all n elements, a 0-D result (NaN when n = 0). Backward: dx = dy/n at every element.</summary>
    public Variable Mean()
    {
        var shape = ShapeArray;
        int n = Data.Numel;
        return Record.Op("mean", Data.Mean(), [this], dy => [(dy / n).BroadcastTo(shape).Contiguous()]);
    }

    /// <summary>
    /// y = Σ x along <paramref name="axis"/> (negative counts from the end): (B, F).Sum(0) → (F); with
    /// <paramref name="keepDim"/> the axis stays as size 1, (B, F).Sum(1, true) → (B, 1).
    /// Backward: dx = dy broadcast back along the axis.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is out of range.</exception>
    public Variable Sum(int axis, bool keepDim = false)
    {
        var shape = ShapeArray;
        int ax = Shapes.NormalizeAxis(axis, Rank, "sum");
        return Record.Op("sum", Data.Sum(ax, keepDim), [this],
            dy => [(keepDim ? dy : dy.Unsqueeze(ax)).BroadcastTo(shape).Contiguous()]);
    }

    /// <summary>
    /// y = the mean along <paramref name="axis"/>, shaped as <see cref="Sum(int, bool)"/>; composed as
    /// Sum / n, so backward gives dx = dy/n broadcast back along the axis.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is out of range.</exception>
    public Variable Mean(int axis, bool keepDim = false)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "mean");
        return Sum(ax, keepDim) / Data.Size(ax);
    }
}
