namespace Scratch.Autograd;

// Add, sub, mul, div, neg, pow — forward and backward side by side. Inputs may broadcast; the
// gradient of a broadcast input is summed back to its own shape (SumTo).
public sealed partial class Variable
{
    public static Variable operator +(Variable a, Variable b) =>
        Record.Op("add", a.Data + b.Data, [a, b],
            dy => [dy.SumTo(a.Shape), dy.SumTo(b.Shape)]);

    public static Variable operator -(Variable a, Variable b) =>
        Record.Op("sub", a.Data - b.Data, [a, b],
            dy => [dy.SumTo(a.Shape), dy.Neg().SumTo(b.Shape)]);

    // y = a·b → da = dy·b, db = dy·a
    public static Variable operator *(Variable a, Variable b) =>
        Record.Op("mul", a.Data * b.Data, [a, b],
            dy => [a.RequiresGrad ? (dy * b.Data).SumTo(a.Shape) : null,
                   b.RequiresGrad ? (dy * a.Data).SumTo(b.Shape) : null]);

    // y = a/b → da = dy/b, db = −dy·a/b² = −dy·y/b
    public static Variable operator /(Variable a, Variable b)
    {
        var y = a.Data / b.Data;
        return Record.Op("div", y, [a, b],
            dy => [a.RequiresGrad ? (dy / b.Data).SumTo(a.Shape) : null,
                   b.RequiresGrad ? (dy * y / b.Data).Neg().SumTo(b.Shape) : null]);
    }

    public static Variable operator -(Variable a) =>
        Record.Op("neg", a.Data.Neg(), [a], dy => [dy.Neg()]);

    public static Variable operator +(Variable a, double s) => Record.Op("add", a.Data + s, [a], dy => [dy]);
    public static Variable operator +(double s, Variable a) => a + s;
    public static Variable operator -(Variable a, double s) => Record.Op("sub", a.Data - s, [a], dy => [dy]);
    public static Variable operator -(double s, Variable a) => Record.Op("sub", s - a.Data, [a], dy => [dy.Neg()]);
    public static Variable operator *(Variable a, double s) => Record.Op("mul", a.Data * s, [a], dy => [dy * s]);
    public static Variable operator *(double s, Variable a) => a * s;
    public static Variable operator /(Variable a, double s) => Record.Op("div", a.Data / s, [a], dy => [dy / s]);

    // y = s/a → da = −dy·s/a²
    public static Variable operator /(double s, Variable a) =>
        Record.Op("div", s / a.Data, [a], dy => [(dy * s / a.Data.Square()).Neg()]);

    // y = xᵖ → dx = dy·p·xᵖ⁻¹
    public Variable Pow(double p)
    {
        var x = this;
        return Record.Op("pow", x.Data.Pow(p), [x], dy => [dy * x.Data.Pow(p - 1) * p]);
    }

    // y = aᵇ → da = dy·b·aᵇ⁻¹, db = dy·y·ln a
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
