namespace Scratch.Autograd;

// Add, sub, mul, div, neg, pow — forward and backward side by side. Inputs may broadcast; the
// gradient of a broadcast input is summed back to its own shape (SumTo).
public sealed partial class Variable
{
    /// <summary>
    /// y = a + b elementwise with NumPy broadcasting: (B, F) + (F) → (B, F). Backward: da = dy and
    /// db = dy, each summed back to its input's shape (db = Σ_batch dy for a bias).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Variable operator +(Variable a, Variable b) =>
        Record.Op("add", a.Data + b.Data, [a, b],
            dy => [dy.SumTo(a.Shape), dy.SumTo(b.Shape)]);

    /// <summary>y = a − b elementwise, broadcasting. Backward: da = dy, db = −dy, each summed back to its input's shape.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Variable operator -(Variable a, Variable b) =>
        Record.Op("sub", a.Data - b.Data, [a, b],
            dy => [dy.SumTo(a.Shape), dy.Neg().SumTo(b.Shape)]);

    /// <summary>y = a·b elementwise (not a matrix product), broadcasting. Backward: da = dy·b, db = dy·a, each summed back to its input's shape.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Variable operator *(Variable a, Variable b) =>
        Record.Op("mul", a.Data * b.Data, [a, b],
            dy => [a.RequiresGrad ? (dy * b.Data).SumTo(a.Shape) : null,
                   b.RequiresGrad ? (dy * a.Data).SumTo(b.Shape) : null]);

    /// <summary>y = a/b elementwise, broadcasting. Backward: da = dy/b, db = −dy·a/b² = −dy·y/b, each summed back to its input's shape.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Variable operator /(Variable a, Variable b)
    {
        var y = a.Data / b.Data;
        return Record.Op("div", y, [a, b],
            dy => [a.RequiresGrad ? (dy / b.Data).SumTo(a.Shape) : null,
                   b.RequiresGrad ? (dy * y / b.Data).Neg().SumTo(b.Shape) : null]);
    }

    /// <summary>y = −a. Backward: da = −dy.</summary>
    public static Variable operator -(Variable a) =>
        Record.Op("neg", a.Data.Neg(), [a], dy => [dy.Neg()]);

    /// <summary>y = a + s for every element. Backward: da = dy.</summary>
    public static Variable operator +(Variable a, double s) => Record.Op("add", a.Data + s, [a], dy => [dy]);
    /// <summary>y = s + a for every element. Backward: da = dy.</summary>
    public static Variable operator +(double s, Variable a) => a + s;
    /// <summary>y = a − s for every element. Backward: da = dy.</summary>
    public static Variable operator -(Variable a, double s) => Record.Op("sub", a.Data - s, [a], dy => [dy]);
    /// <summary>y = s − a for every element. Backward: da = −dy.</summary>
    public static Variable operator -(double s, Variable a) => Record.Op("sub", s - a.Data, [a], dy => [dy.Neg()]);
    /// <summary>y = a·s for every element. Backward: da = s·dy.</summary>
    public static Variable operator *(Variable a, double s) => Record.Op("mul", a.Data * s, [a], dy => [dy * s]);
    /// <summary>y = s·a for every element. Backward: da = s·dy.</summary>
    public static Variable operator *(double s, Variable a) => a * s;
    /// <summary>y = a/s for every element. Backward: da = dy/s.</summary>
    public static Variable operator /(Variable a, double s) => Record.Op("div", a.Data / s, [a], dy => [dy / s]);

    /// <summary>y = s/a for every element. Backward: da = −dy·s/a².</summary>
    public static Variable operator /(double s, Variable a) =>
        Record.Op("div", s / a.Data, [a], dy => [(dy * s / a.Data.Square()).Neg()]);

    /// <summary>y = xᵖ elementwise. Backward: dx = dy·p·xᵖ⁻¹ (NaN where x &lt; 0 and p is not an integer, as the forward).</summary>
    public Variable Pow(double p)
    {
        var x = this;
        return Record.Op("pow", x.Data.Pow(p), [x], dy => [dy * x.Data.Pow(p - 1) * p]);
    }

    /// <summary>
    /// y = aᵇ elementwise, broadcasting. Backward: da = dy·b·aᵇ⁻¹ and db = dy·y·ln a, each summed back to
    /// its input's shape (db is NaN where a &lt; 0: ask for it only with a positive base).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Variable Pow(Variable exponent)
    {
        var a = this;
        var b = exponent;
        var y = a.Data.Pow(b.Data);
        return Record.Op("pow", y, [a, b],
            dy => [a.RequiresGrad ? (dy * b.Data * a.Data.Pow(b.Data - 1.0)).SumTo(a.Shape) : null,
                   b.RequiresGrad ? (dy * y * a.Data.Log()).SumTo(b.Shape) : null]);
    }
}
