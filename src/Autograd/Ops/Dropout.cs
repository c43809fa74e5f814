namespace Scratch.Autograd;

// Dropout and leaky ReLU: elementwise primitives (BinaryOp), so they run on every device.
public sealed partial class Variable
{
    /// <summary>
    /// Inverted dropout: each element is kept with probability 1 − p and scaled by 1/(1 − p), so the
    /// expected value is unchanged and eval needs no rescaling. Off (the identity) when not training.
    /// The mask is drawn from the engine's <paramref name="rng"/> and saved for the backward: dx = dy·mask.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="p"/> is not in [0, 1].</exception>
    public Variable Dropout(double p, bool training, Rng rng)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"dropout: probability {p} is not in [0, 1]");
        if (!training || p == 0) return this;
        // p = 1 drops everything (PyTorch returns zeros rather than 0·∞).
        var mask = p == 1 ? Tensor.Zeros(ShapeArray, DType, Device)
            : Tensor.Bernoulli(ShapeArray, 1 - p, rng, DType, Device) * (1.0 / (1 - p));
        return Record.Op("dropout", Data * mask, [this], dy => [dy * mask]);
    }

    /// <summary>
    /// y = x for x &gt; 0, negativeSlope·x otherwise, elementwise. Backward: dx = dy for x &gt; 0,
    /// negativeSlope·dy otherwise (at 0 too, as PyTorch).
    /// </summary>
    /// <remarks>
    /// One kernel forward (BinaryOp.LeakyRelu) and two backward (the slope mask, then × dy), where the
    /// composition max(x, 0) + min(x, 0)·slope took four passes and three temporaries each way.
    /// </remarks>
    public Variable LeakyRelu(double negativeSlope = 0.01)
    {
        var x = Data;
        return Record.Op("leaky_relu", x.LeakyRelu(negativeSlope), [this], dy => [x.LeakyReluSlope(negativeSlope) * dy]);
    }
}
