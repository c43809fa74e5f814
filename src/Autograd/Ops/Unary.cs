namespace Scratch.Autograd;

// Exp, log, sqrt, square, abs, clamp: each saves what its derivative needs (often the output).
public sealed partial class Variable
{
    // y = eˣ → dx = dy·y
    public Variable Exp()
    {
        var y = Data.Exp();
        return Record.Op("exp", y, [this], dy => [dy * y]);
    }

    // y = ln x → dx = dy/x
    public Variable Log()
    {
        var x = Data;
        return Record.Op("log", x.Log(), [this], dy => [dy / x]);
    }

    // y = √x → dx = dy/(2y)
    public Variable Sqrt()
    {
        var y = Data.Sqrt();
        return Record.Op("sqrt", y, [this], dy => [dy / (y * 2.0)]);
    }

    // y = x² → dx = 2x·dy
    public Variable Square()
    {
        var x = Data;
        return Record.Op("square", x.Square(), [this], dy => [dy * x * 2.0]);
    }

    // y = |x| → dx = sign(x)·dy (0 at 0, as PyTorch)
    public Variable Abs()
    {
        var x = Data;
        return Record.Op("abs", x.Abs(), [this], dy => [dy * x.Sign()]);
    }

    // y = clamp(x, lo, hi) → dx = dy where lo ≤ x ≤ hi, else 0 (PyTorch passes the gradient at the bounds)
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
