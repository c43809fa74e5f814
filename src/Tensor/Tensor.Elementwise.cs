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

    public Tensor Neg() => Map(UnaryOp.Neg);
    public Tensor Exp() => Map(UnaryOp.Exp);
    public Tensor Log() => Map(UnaryOp.Log);
    public Tensor Sqrt() => Map(UnaryOp.Sqrt);
    public Tensor Square() => Map(UnaryOp.Square);
    public Tensor Abs() => Map(UnaryOp.Abs);
    public Tensor Sign() => Map(UnaryOp.Sign);
    public Tensor Relu() => Map(UnaryOp.Relu);
    public Tensor Sigmoid() => Map(UnaryOp.Sigmoid);
    public Tensor Tanh() => Map(UnaryOp.Tanh);
    public Tensor Softplus() => Map(UnaryOp.Softplus);
    public Tensor Reciprocal() => Map(UnaryOp.Reciprocal);

    /// <summary>Limits every element to [min, max]; NaN stays NaN.</summary>
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

    public Tensor Add(Tensor other) => Zip(BinaryOp.Add, "add", this, other);
    public Tensor Sub(Tensor other) => Zip(BinaryOp.Sub, "sub", this, other);
    public Tensor Mul(Tensor other) => Zip(BinaryOp.Mul, "mul", this, other);
    public Tensor Div(Tensor other) => Zip(BinaryOp.Div, "div", this, other);
    public Tensor Pow(Tensor other) => Zip(BinaryOp.Pow, "pow", this, other);
    public Tensor Maximum(Tensor other) => Zip(BinaryOp.Max, "maximum", this, other);
    public Tensor Minimum(Tensor other) => Zip(BinaryOp.Min, "minimum", this, other);

    /// <summary>dy where this (the ReLU input) is positive, else 0: ReLU's backward.</summary>
    public Tensor ReluBackward(Tensor dy) => Zip(BinaryOp.ReluBackward, "relu backward", this, dy);

    /// <summary>x where x &gt; 0, else negativeSlope·x, in one kernel.</summary>
    public Tensor LeakyRelu(double negativeSlope) => ZipScalar(BinaryOp.LeakyRelu, this, negativeSlope);

    /// <summary>1 where x &gt; 0, else negativeSlope: the derivative of <see cref="LeakyRelu(double)"/>.</summary>
    public Tensor LeakyReluSlope(double negativeSlope) => ZipScalar(BinaryOp.LeakyReluSlope, this, negativeSlope);

    /// <summary>The same with a slope per element (broadcast like any binary op).</summary>
    public Tensor LeakyRelu(Tensor negativeSlope) => Zip(BinaryOp.LeakyRelu, "leaky relu", this, negativeSlope);

    /// <summary>The same with a slope per element (broadcast like any binary op).</summary>
    public Tensor LeakyReluSlope(Tensor negativeSlope) => Zip(BinaryOp.LeakyReluSlope, "leaky relu slope", this, negativeSlope);

    public Tensor Add(double s) => ZipScalar(BinaryOp.Add, this, s);
    public Tensor Sub(double s) => ZipScalar(BinaryOp.Sub, this, s);
    public Tensor Mul(double s) => ZipScalar(BinaryOp.Mul, this, s);
    public Tensor Div(double s) => ZipScalar(BinaryOp.Div, this, s);
    public Tensor Pow(double s) => ZipScalar(BinaryOp.Pow, this, s);
    public Tensor Maximum(double s) => ZipScalar(BinaryOp.Max, this, s);
    public Tensor Minimum(double s) => ZipScalar(BinaryOp.Min, this, s);

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, double s) => a.Add(s);
    public static Tensor operator -(Tensor a, double s) => a.Sub(s);
    public static Tensor operator *(Tensor a, double s) => a.Mul(s);
    public static Tensor operator /(Tensor a, double s) => a.Div(s);
    public static Tensor operator +(double s, Tensor b) => b.Add(s);
    public static Tensor operator -(double s, Tensor b) => ScalarZip(BinaryOp.Sub, s, b);
    public static Tensor operator *(double s, Tensor b) => b.Mul(s);
    public static Tensor operator /(double s, Tensor b) => ScalarZip(BinaryOp.Div, s, b);
}
