namespace Scratch.Kernels;

// The elementwise operations every device computes. The Tensor layer names an op with one of
// these values and each device (CPU SIMD, ILGPU) maps it to its own kernel: this enum *is* the
// backend contract for elementwise work, so adding an op means adding it on every device.

/// <summary>y[i] = f(x[i]).</summary>
public enum UnaryOp
{
    /// <summary>−x.</summary>
    Neg,
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>Natural logarithm: −∞ at 0, NaN below 0.</summary>
    Log,
    /// <summary>√x: NaN below 0 (−0 stays −0).</summary>
    Sqrt,
    /// <summary>x·x.</summary>
    Square,
    /// <summary>|x|.</summary>
    Abs,
    /// <summary>-1, 0 or +1 (0 for ±0, NaN stays NaN): the derivative of Abs.</summary>
    Sign,
    /// <summary>max(x, 0); NaN stays NaN (as torch.relu).</summary>
    Relu,
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>log(1 + exp(x)), computed without overflow for large |x|.</summary>
    Softplus,
    /// <summary>1 / x.</summary>
    Reciprocal,
}

/// <summary>y[i] = f(a[i], b[i]) (or f(a[i], s) with a scalar).</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Sub,
    /// <summary>a·b.</summary>
    Mul,
    /// <summary>a / b (IEEE: ±∞ or NaN for b = 0).</summary>
    Div,
    /// <summary>a^b (System.Math.Pow semantics).</summary>
    Pow,
    /// <summary>max(a, b), IEEE 754-2019 maximum: NaN if either is NaN, +0 &gt; −0 (as torch.maximum).</summary>
    Max,
    /// <summary>min(a, b), IEEE 754-2019 minimum: NaN if either is NaN, −0 &lt; +0 (as torch.minimum).</summary>
    Min,
    /// <summary>b where a &gt; 0, else 0: the gradient of ReLU, a = the ReLU input, b = dy.</summary>
    ReluBackward,
    /// <summary>a where a &gt; 0, else a·b: leaky ReLU of a with negative slope b, one pass.</summary>
    LeakyRelu,
    /// <summary>1 where a &gt; 0, else b: the derivative of <see cref="LeakyRelu"/> with respect to a (slope b).</summary>
    LeakyReluSlope,
}
