namespace Scratch.Autograd;

// ReLU, sigmoid, tanh, softplus. Each has its own backward rather than a composition of
// primitives: composing sigmoid from exp and div overflows for large |x|, and the derivative in
// terms of the saved output is one multiply.
public sealed partial class Variable
{
    /// <summary>y = max(x, 0), elementwise. Backward: dx = dy where x &gt; 0, else 0 (0 at x = 0, as PyTorch).</summary>
    public Variable Relu()
    {
        var x = Data;
        return Record.Op("relu", x.Relu(), [this], dy => [x.ReluBackward(dy)]);
    }

    /// <summary>y = σ(x) = 1/(1 + e⁻ˣ), elementwise. Backward: dx = dy·y·(1 − y), from the saved output.</summary>
    public Variable Sigmoid()
    {
        var y = Data.Sigmoid();
        return Record.Op("sigmoid", y, [this], dy => [dy * y * (1.0 - y)]);
    }

    /// <summary>y = tanh x, elementwise. Backward: dx = dy·(1 − y²), from the saved output.</summary>
    public Variable Tanh()
    {
        var y = Data.Tanh();
        return Record.Op("tanh", y, [this], dy => [dy * (1.0 - y.Square())]);
    }

    /// <summary>y = ln(1 + eˣ), elementwise (a smooth ReLU). Backward: dx = dy·σ(x).</summary>
    public Variable Softplus()
    {
        var x = Data;
        return Record.Op("softplus", x.Softplus(), [this], dy => [dy * x.Sigmoid()]);
    }
}
