namespace Scratch.Autograd;

/// <summary>How a loss turns per-element terms into one number.</summary>
public enum Reduction
{
    /// <summary>Add up every element's term: the loss of the whole batch (PyTorch's reduction="sum").</summary>
    Sum,
    /// <summary>Divide the sum by the element count (PyTorch's reduction="mean", the default).</summary>
    Mean,
}

public static partial class Losses
{
    /// <summary>
    /// Mean squared error, Σ(pred − target)² (or its mean). Fused: one difference saved for backward,
    /// d pred = 2·(pred − target)·dy (/n for the mean). target receives no gradient.
    /// </summary>
    /// <exception cref="ArgumentException">The prediction and target differ in shape, dtype or device.</exception>
    public static Variable Mse(Variable pred, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("mse", pred, target);
        var diff = pred.Data - target;
        double scale = reduction == Reduction.Mean ? 1.0 / Math.Max(diff.Numel, 1) : 1.0;
        var loss = Reduce(diff.Square().Sum(), reduction, diff.Numel);
        return Record.Op("mse", loss, [pred], dy => [Upstream(diff, 2.0 * scale, dy)]);
    }

    /// <summary>
    /// g·scale·dy, dy the upstream gradient of a scalar loss (a one-element tensor on the loss's device).
    /// On a GPU dy is never read back: it is scaled on the device and broadcast, so a backward pass
    /// queues kernels without waiting for the device. On the CPU reading dy is a load, not a wait, and
    /// one scalar multiply (scale·dy in double) gives the bits of the composed ops.
    /// </summary>
    internal static Tensor Upstream(Tensor g, double scale, Tensor dy) =>
        dy.Device.Kind == DeviceKind.Cpu ? g * (scale * dy.Item()) : g * (scale == 1.0 ? dy : dy * scale);

    // A mean divides by n (rather than multiplying by 1/n) so values match PyTorch's to the last bit.
    private static Tensor Reduce(Tensor sum, Reduction reduction, int n) =>
        reduction == Reduction.Mean ? sum.Div(n) : sum;

    internal static void CheckSameShape(string op, Variable a, Tensor b)
    {
        if (!Shapes.SameShape(a.Shape, b.Shape))
            throw new ArgumentException($"{op}: prediction {Shapes.Format(a.Shape)} and target {Shapes.Format(b.Shape)} differ in shape");
    }
}
