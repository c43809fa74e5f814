namespace Scratch.Kernels.Gpu;

// The one place that maps an op enum value to its operator struct. A kernel family asks for
// "the kernel for this op" with a visitor whose generic Visit<TOp> closes the generic kernel
// over the struct; the PTX test uses the same map, so it compiles exactly the kernels we run.

internal interface IUnaryOperatorVisitor<out TResult>
{
    TResult Visit<TOp>() where TOp : struct, IGpuUnaryOperator;
}

internal interface IBinaryOperatorVisitor<out TResult>
{
    TResult Visit<TOp>() where TOp : struct, IGpuBinaryOperator;
}

internal static class OperatorDispatch
{
    public static TResult Unary<TResult>(UnaryOp op, IUnaryOperatorVisitor<TResult> visitor) => op switch
    {
        UnaryOp.Neg => visitor.Visit<NegOperator>(),
        UnaryOp.Exp => visitor.Visit<ExpOperator>(),
        UnaryOp.Log => visitor.Visit<LogOperator>(),
        UnaryOp.Sqrt => visitor.Visit<SqrtOperator>(),
        UnaryOp.Square => visitor.Visit<SquareOperator>(),
        UnaryOp.Abs => visitor.Visit<AbsOperator>(),
        UnaryOp.Sign => visitor.Visit<SignOperator>(),
        UnaryOp.Relu => visitor.Visit<ReluOperator>(),
        UnaryOp.Sigmoid => visitor.Visit<SigmoidOperator>(),
        UnaryOp.Tanh => visitor.Visit<TanhOperator>(),
        UnaryOp.Softplus => visitor.Visit<SoftplusOperator>(),
        UnaryOp.Reciprocal => visitor.Visit<ReciprocalOperator>(),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "GPU: unknown unary op"),
    };

    public static TResult Binary<TResult>(BinaryOp op, IBinaryOperatorVisitor<TResult> visitor) => op switch
    {
        BinaryOp.Add => visitor.Visit<AddOperator>(),
        BinaryOp.Sub => visitor.Visit<SubOperator>(),
        BinaryOp.Mul => visitor.Visit<MulOperator>(),
        BinaryOp.Div => visitor.Visit<DivOperator>(),
        BinaryOp.Pow => visitor.Visit<PowOperator>(),
        BinaryOp.Max => visitor.Visit<MaxOperator>(),
        BinaryOp.Min => visitor.Visit<MinOperator>(),
        BinaryOp.ReluBackward => visitor.Visit<ReluBackwardOperator>(),
        BinaryOp.LeakyRelu => visitor.Visit<LeakyReluOperator>(),
        BinaryOp.LeakyReluSlope => visitor.Visit<LeakyReluSlopeOperator>(),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "GPU: unknown binary op"),
    };
}
