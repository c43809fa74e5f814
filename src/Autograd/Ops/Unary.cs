namespace Scratch.Autograd;

// Exp, log, sqrt, square, abs, clamp: each saves what its derivative needs (often the output).
public sealed partial class Variable
{
    /// <summary>y = eˣ elementwise. Backward: dx = dy·y, from the saved output.</summary>
    public Variable Exp()
    {
        var y = Data.Exp();
        return Record.Op("exp", y, [this], dy => [dy * y]);
    }

    /// <summary>y = ln x elementwise (−∞ at 0, NaN below). Backward: dx = dy/x.</summary>
    public Variable Log()
    {
        var x = Data;
        return Record.Op("log", x.Log(), [this], dy => [dy / x]);
    }

    /// <summary>y = √x elementwise (NaN below 0). Backward: dx = dy/(2y), infinite at x = 0.</summary>
    public Variable Sqrt()
    {
        var y = Data.Sqrt();
        return Record.Op("sqrt", y, [this], dy => [dy / (y * 2.0)]);
    }

    /// <summary>y = x² elementwise. Backward: dx = 2x·dy.</summary>
    public Variable Square()
    {
        var x = Data;
        return Record.Op("square", x.Square(), [this], dy => [dy * x * 2.0]);
    }

    /// <summary>y = |x| elementwise. Backward: dx = sign(x)·dy, 0 at x = 0 (as PyTorch).</summary>
    public Variable Abs()
    {
        var x = Data;
        return Record.Op("abs", x.Abs(), [this], dy => [dy * x.Sign()]);
    }

    /// <summary>
    /// y = min(max(x, min), max) elementwise. Backward: dx = dy where min ≤ x ≤ max, else 0 (the bounds
    /// themselves pass the gradient, as PyTorch).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>, or either is NaN.</exception>
    public Variable Clamp(double min, double max)
    {
        var x = Data;
        return Record.Op("clamp", x.Clamp(min, max), [this], dy =>
        {
            // inside = 1 where min ≤ x ≤ max: (x − min ≥ 0)·(max − x ≥ 0), masks built from ReluBackward.
            var one = Tensor.OnesLike(x);
            var aboveMin = (x - min).ReluBackwardInclusive(one);
            var belowMax = (max - x).ReluBackwardInclusive(one);
            return [dy * aboveMin * belowMax];
        });
    }
}

internal static class MaskExtensions
{
    /// <summary>dy where x ≥ 0 (inclusive), else 0.</summary>
    public static Tensor ReluBackwardInclusive(this Tensor x, Tensor dy) =>
        // x ≥ 0 ⇔ −x ≤ 0 ⇔ not (−x > 0): dy − (dy where −x > 0)
        dy - x.Neg().ReluBackward(dy);
}
