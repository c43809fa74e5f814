using Scratch.Kernels;

namespace Scratch;

// Elementwise ops. Binary ops broadcast NumPy-style: equal shapes go straight to the kernel,
// a one-element operand becomes a scalar, anything else is expanded to the common shape first.
public sealed partial class Tensor
{
    private Tensor Map(UnaryOp op)
    {
        var y = Empty(_shape, DType, Device);
        Backend.Unary(op, Buffer(), y.Buffer());
        return y;
    }

    /// <summary>−x, elementwise; same shape.</summary>
    public Tensor Neg() => Map(UnaryOp.Neg);
    /// <summary>eˣ, elementwise; overflows to +∞ above about 88 in float32.</summary>
    public Tensor Exp() => Map(UnaryOp.Exp);
    /// <summary>ln x, elementwise: −∞ at 0, NaN below 0 (no exception).</summary>
    public Tensor Log() => Map(UnaryOp.Log);
    /// <summary>√x, elementwise: NaN below 0 (no exception).</summary>
    public Tensor Sqrt() => Map(UnaryOp.Sqrt);
    /// <summary>x², elementwise, in one pass (cheaper than Pow(2)).</summary>
    public Tensor Square() => Map(UnaryOp.Square);
    /// <summary>|x|, elementwise.</summary>
    public Tensor Abs() => Map(UnaryOp.Abs);
    /// <summary>−1, 0 or 1 by the sign of x, elementwise (0 at ±0): the derivative of <see cref="Abs"/>.</summary>
    public Tensor Sign() => Map(UnaryOp.Sign);
    /// <summary>max(x, 0), elementwise; its backward is <see cref="ReluBackward"/>.</summary>
    public Tensor Relu() => Map(UnaryOp.Relu);
    /// <summary>σ(x) = 1 / (1 + e⁻ˣ), elementwise; saturates to 0 and 1 for large |x| (never NaN for finite x).</summary>
    public Tensor Sigmoid() => Map(UnaryOp.Sigmoid);
    /// <summary>tanh x, elementwise.</summary>
    public Tensor Tanh() => Map(UnaryOp.Tanh);
    /// <summary>ln(1 + eˣ), elementwise, computed stably for large |x|: a smooth ReLU whose derivative is σ(x).</summary>
    public Tensor Softplus() => Map(UnaryOp.Softplus);
    /// <summary>1/x, elementwise (±∞ at 0).</summary>
    public Tensor Reciprocal() => Map(UnaryOp.Reciprocal);

    /// <summary>Limits every element to [min, max]; NaN stays NaN.</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>, or either is NaN.</exception>
    public Tensor Clamp(double min, double max)
    {
        if (!(min <= max)) throw new ArgumentException($"clamp: min {min} is greater than max {max}");
        var y = Empty(_shape, DType, Device);
        Backend.Clamp(Buffer(), min, max, y.Buffer());
        return y;
    }

    private static Tensor Zip(BinaryOp op, string name, Tensor a, Tensor b)
    {
        CheckSameDTypeAndDevice(name, a, b);
        var backend = a.Backend;
        if (Shapes.SameShape(a._shape, b._shape))
        {
            var y = Empty(a._shape, a.DType, a.Device);
            backend.Binary(op, a.Buffer(), b.Buffer(), y.Buffer());
            return y;
        }
        var shape = Shapes.Broadcast(a._shape, b._shape, name);
        // A one-element operand that already has the result's shape after broadcasting: use the scalar
        // kernel. Only on the CPU: on a GPU, Item() would wait for the device; a stride-0 broadcast does not.
        bool onHost = a.Device.Kind == DeviceKind.Cpu;
        if (onHost && b.Numel == 1 && Shapes.SameShape(shape, a._shape))
            return ZipScalar(op, a, b.Item());
        if (onHost && a.Numel == 1 && Shapes.SameShape(shape, b._shape))
            return ScalarZip(op, a.Item(), b);
        var result = Empty(shape, a.DType, a.Device);
        backend.Binary(op, a.BroadcastTo(shape).Buffer(), b.BroadcastTo(shape).Buffer(), result.Buffer());
        return result;
    }

    private static Tensor ZipScalar(BinaryOp op, Tensor a, double s)
    {
        var y = Empty(a._shape, a.DType, a.Device);
        a.Backend.BinaryScalar(op, a.Buffer(), s, y.Buffer());
        return y;
    }

    private static Tensor ScalarZip(BinaryOp op, double s, Tensor b)
    {
        var y = Empty(b._shape, b.DType, b.Device);
        b.Backend.ScalarBinary(op, s, b.Buffer(), y.Buffer());
        return y;
    }

    /// <summary>this + other elementwise, NumPy broadcasting: (B, F) + (F) → (B, F); (4, 1) + (1, 5) → (4, 5).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Add(Tensor other) => Zip(BinaryOp.Add, "add", this, other);
    /// <summary>this − other elementwise, broadcasting as <see cref="Add(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Sub(Tensor other) => Zip(BinaryOp.Sub, "sub", this, other);
    /// <summary>this · other elementwise (the Hadamard product, not a matrix product), broadcasting as <see cref="Add(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Mul(Tensor other) => Zip(BinaryOp.Mul, "mul", this, other);
    /// <summary>this / other elementwise, broadcasting as <see cref="Add(Tensor)"/>; division by 0 gives ±∞ or NaN, not an exception.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Div(Tensor other) => Zip(BinaryOp.Div, "div", this, other);
    /// <summary>this^other elementwise, broadcasting as <see cref="Add(Tensor)"/>; a negative base with a non-integer exponent gives NaN.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Pow(Tensor other) => Zip(BinaryOp.Pow, "pow", this, other);
    /// <summary>The larger of this and other, elementwise, broadcasting as <see cref="Add(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Maximum(Tensor other) => Zip(BinaryOp.Max, "maximum", this, other);
    /// <summary>The smaller of this and other, elementwise, broadcasting as <see cref="Add(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor Minimum(Tensor other) => Zip(BinaryOp.Min, "minimum", this, other);

    /// <summary>dy where this (the ReLU input) is positive, else 0: ReLU's backward.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor ReluBackward(Tensor dy) => Zip(BinaryOp.ReluBackward, "relu backward", this, dy);

    /// <summary>x where x &gt; 0, else negativeSlope·x, in one kernel.</summary>
    public Tensor LeakyRelu(double negativeSlope) => ZipScalar(BinaryOp.LeakyRelu, this, negativeSlope);

    /// <summary>1 where x &gt; 0, else negativeSlope: the derivative of <see cref="LeakyRelu(double)"/>.</summary>
    public Tensor LeakyReluSlope(double negativeSlope) => ZipScalar(BinaryOp.LeakyReluSlope, this, negativeSlope);

    /// <summary>The same with a slope per element (broadcast like any binary op).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor LeakyRelu(Tensor negativeSlope) => Zip(BinaryOp.LeakyRelu, "leaky relu", this, negativeSlope);

    /// <summary>The same with a slope per element (broadcast like any binary op).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public Tensor LeakyReluSlope(Tensor negativeSlope) => Zip(BinaryOp.LeakyReluSlope, "leaky relu slope", this, negativeSlope);

    /// <summary>x + s for every element; same shape.</summary>
    public Tensor Add(double s) => ZipScalar(BinaryOp.Add, this, s);
    /// <summary>x − s for every element; same shape.</summary>
    public Tensor Sub(double s) => ZipScalar(BinaryOp.Sub, this, s);
    /// <summary>x · s for every element; same shape.</summary>
    public Tensor Mul(double s) => ZipScalar(BinaryOp.Mul, this, s);
    /// <summary>x / s for every element; same shape.</summary>
    public Tensor Div(double s) => ZipScalar(BinaryOp.Div, this, s);
    /// <summary>xˢ for every element; same shape.</summary>
    public Tensor Pow(double s) => ZipScalar(BinaryOp.Pow, this, s);
    /// <summary>max(x, s) for every element; same shape.</summary>
    public Tensor Maximum(double s) => ZipScalar(BinaryOp.Max, this, s);
    /// <summary>min(x, s) for every element; same shape.</summary>
    public Tensor Minimum(double s) => ZipScalar(BinaryOp.Min, this, s);

    /// <summary>Elementwise a + b with broadcasting: <see cref="Add(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>Elementwise a − b with broadcasting: <see cref="Sub(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>Elementwise a · b with broadcasting: <see cref="Mul(Tensor)"/>. For a matrix product use <see cref="MatMul(Tensor, Tensor, bool, bool)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>Elementwise a / b with broadcasting: <see cref="Div(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the dtypes or devices differ.</exception>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>Elementwise −a: <see cref="Neg"/>.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
    /// <summary>a + s for every element.</summary>
    public static Tensor operator +(Tensor a, double s) => a.Add(s);
    /// <summary>a − s for every element.</summary>
    public static Tensor operator -(Tensor a, double s) => a.Sub(s);
    /// <summary>a · s for every element.</summary>
    public static Tensor operator *(Tensor a, double s) => a.Mul(s);
    /// <summary>a / s for every element.</summary>
    public static Tensor operator /(Tensor a, double s) => a.Div(s);
    /// <summary>s + b for every element.</summary>
    public static Tensor operator +(double s, Tensor b) => b.Add(s);
    /// <summary>s − b for every element (e.g. 1 − y).</summary>
    public static Tensor operator -(double s, Tensor b) => ScalarZip(BinaryOp.Sub, s, b);
    /// <summary>s · b for every element.</summary>
    public static Tensor operator *(double s, Tensor b) => b.Mul(s);
    /// <summary>s / b for every element (±∞ where b is 0).</summary>
    public static Tensor operator /(double s, Tensor b) => ScalarZip(BinaryOp.Div, s, b);
}
