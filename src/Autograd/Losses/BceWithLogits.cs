namespace Scratch.Autograd;

public static partial class Losses
{
    /// <summary>
    /// Binary cross-entropy on logits x against targets t ∈ [0, 1]:
    /// ℓ = max(x, 0) − x·t + ln(1 + e^−|x|), the form that never exponentiates a large positive
    /// number (stable for |x| in the hundreds). Composing sigmoid then log would give log(0) = −∞
    /// for x ≈ −100; hence a fused op. Backward: dx = (σ(x) − t)·dy.
    /// </summary>
    public static Variable BceWithLogits(Variable logits, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("bce with logits", logits, target);
        var x = logits.Data;
        var loss = Reduce(Tensor.BceWithLogitsSum(x, target), reduction, x.Numel);
        double scale = reduction == Reduction.Mean ? 1.0 / Math.Max(x.Numel, 1) : 1.0;
        return Record.Op("bce with logits", loss, [logits], dy => [dy.Device.Kind == DeviceKind.Cpu
            ? Tensor.BceWithLogitsBackward(x, target, scale * dy.Item())
            : Upstream(Tensor.BceWithLogitsBackward(x, target, scale), 1.0, dy)]);
    }
}
