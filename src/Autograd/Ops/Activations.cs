namespace Scratch.Autograd;

// ReLU, sigmoid, tanh, softplus. Each has its own backward rather than a composition of
// primitives: composing sigmoid from exp and div overflows for large |x|, and the derivative in
// terms of the saved output is one multiply.
public sealed partial class Variable
{
    // y = max(x, 0) → dx = dy where x > 0
    public Variable Relu()
    {
        var x = Data;
        return Record.Op("relu", x.Relu(), [this], dy => [x.ReluBackward(dy)]);
    }

    // y = σ(x) → dx = dy·y·(1 − y)
    public Variable Sigmoid()
    {
        var y = Data.Sigmoid();
        return Record.Op("sigmoid", y, [this], dy => [dy * y * (1.0 - y)]);
    }

    // y = tanh x → dx = dy·(1 − y²)
    public Variable Tanh()
    {
        var y = Data.Tanh();
        return Record.Op("tanh", y, [this], dy => [dy * (1.0 - y.Square())]);
    }

    // y = ln(1 + eˣ) → dx = dy·σ(x)
    public Variable Softplus()
    {
        var x = Data;
        return Record.Op("softplus", x.Softplus(), [this], dy => [dy * x.Sigmoid()]);
    }
}
