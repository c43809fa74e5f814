namespace Scratch.Autograd;

/// <summary>
/// Loss functions as differentiable ops, each ending in a one-element result to call
/// <see cref="Variable.Backward()"/> on. Where composing primitives would be slow or unstable
/// (BCE with logits, KL terms, MSE) the op has its own fused backward; the target is a plain tensor
/// and receives no gradient.
/// </summary>
public static partial class Losses
{
    /// <summary>
    /// Binary cross-entropy on logits x against targets t ∈ [0, 1]:
    /// ℓ = max(x, 0) − x·t + ln(1 + e^−|x|), the form that never exponentiates a large positive
    /// number (stable for |x| in the hundreds). Composing sigmoid then log would give log(0) = −∞
    /// for x ≈ −100; hence a fused op. Backward: dx = (σ(x) − t)·dy.
    /// </summary>
    /// <exception cref="ArgumentException">The logits and target differ in shape, dtype or device.</exception>
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
