namespace Scratch.Kernels;

// The elementwise operations every device computes. The Tensor layer names an op with one of
// these values and each device (CPU SIMD, ILGPU) maps it to its own kernel: this enum *is* the
// backend contract for elementwise work, so adding an op means adding it on every device.

/// <summary>y[i] = f(x[i]).</summary>
public enum UnaryOp
{
    Neg,
    Exp,
    Log,
    Sqrt,
    Square,
    Abs,
    /// <summary>-1, 0 or +1 (0 for ±0, NaN stays NaN): the derivative of Abs.</summary>
    Sign,
    Relu,
    Sigmoid,
    Tanh,
    /// <summary>log(1 + exp(x)), computed without overflow for large |x|.</summary>
    Softplus,
    /// <summary>1 / x.</summary>
    Reciprocal,
}

/// <summary>y[i] = f(a[i], b[i]) (or f(a[i], s) with a scalar).</summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    /// <summary>a^b (System.Math.Pow semantics).</summary>
    Pow,
    Max,
    Min,
    /// <summary>b where a &gt; 0, else 0: the gradient of ReLU, a = the ReLU input, b = dy.</summary>
    ReluBackward,
    /// <summary>a where a &gt; 0, else a·b: leaky ReLU of a with negative slope b, one pass.</summary>
    LeakyRelu,
    /// <summary>1 where a &gt; 0, else b: the derivative of <see cref="LeakyRelu"/> with respect to a (slope b).</summary>
    LeakyReluSlope,
}
