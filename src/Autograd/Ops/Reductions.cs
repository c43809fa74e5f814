namespace Scratch.Autograd;

// Sum and mean, over everything or one axis. Their backward broadcasts the output gradient back
// over the reduced elements: every element contributed with weight 1 (or 1/n for a mean).
public sealed partial class Variable
{
    public Variable Sum()
    {
        var shape = ShapeArray;
        return Record.Op("sum", Data.Sum(), [this], dy => [dy.BroadcastTo(shape).Contiguous()]);
    }

    public Variable Mean()
    {
        var shape = ShapeArray;
        int n = Data.Numel;
        return Record.Op("mean", Data.Mean(), [this], dy => [(dy / n).BroadcastTo(shape).Contiguous()]);
    }

    public Variable Sum(int axis, bool keepDim = false)
    {
        var shape = ShapeArray;
        int ax = Shapes.NormalizeAxis(axis, Rank, "sum");
        return Record.Op("sum", Data.Sum(ax, keepDim), [this],
            dy => [(keepDim ? dy : dy.Unsqueeze(ax)).BroadcastTo(shape).Contiguous()]);
    }

    public Variable Mean(int axis, bool keepDim = false)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "mean");
        return Sum(ax, keepDim) / Data.Size(ax);
    }
}
