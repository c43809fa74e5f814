using Scratch.Kernels;

namespace Scratch.Autograd;

// Matrix products and the dense layer. The backward products pass transpose flags to GEMM, so no
// transposed copy of a weight or an activation is ever made.
public sealed partial class Variable
{
    /// <summary>op(a)·op(b); a: (M, K), b: (K, N) → (M, N) (with the flags, the stored layouts flip).</summary>
    public static Variable MatMul(Variable a, Variable b, bool transA = false, bool transB = false)
    {
        var y = Tensor.MatMul(a.Data, b.Data, transA, transB);
        return Record.Op("matmul", y, [a, b], dy =>
        {
            // y = A·B: dA = dy·Bᵀ, dB = Aᵀ·dy; with A or B stored transposed, the same products
            // written for the stored layout.
            Tensor? da = !a.RequiresGrad ? null
                : transA ? Tensor.MatMul(b.Data, dy, transA: transB, transB: true)   // dAᵀ = B·dyᵀ
                : Tensor.MatMul(dy, b.Data, transA: false, transB: !transB);         // dA = dy·Bᵀ
            Tensor? db = !b.RequiresGrad ? null
                : transB ? Tensor.MatMul(dy, a.Data, transA: true, transB: transA)   // dBᵀ = dyᵀ·A
                : Tensor.MatMul(a.Data, dy, transA: !transA, transB: false);         // dB = Aᵀ·dy
            return [da, db];
        });
    }

    public Variable MatMul(Variable other) => MatMul(this, other);

    /// <summary>
    /// The dense layer, fused: y = x·Wᵀ + b. x: (B, In), w: (Out, In), b: (Out) → y: (B, Out).
    /// Backward: dx = dy·W (B, In), dW = dyᵀ·x (Out, In), db = Σ_batch dy (Out).
    /// </summary>
    public static Variable Linear(Variable x, Variable w, Variable? b)
    {
        if (x.Rank != 2 || w.Rank != 2 || x.Shape[1] != w.Shape[1] || (b != null && (b.Rank != 1 || b.Shape[0] != w.Shape[0])))
            throw new ArgumentException($"linear: input {Shapes.Format(x.Shape)}, weight {Shapes.Format(w.Shape)}{(b is null ? "" : $", bias {Shapes.Format(b.Shape)}")} do not fit y = x·Wᵀ + b (x: (B, In), W: (Out, In), b: (Out))");
        var y = Tensor.MatMul(x.Data, w.Data, transB: true);
        if (b != null) y.AddRowVectorInPlace(b.Data);   // the bias, fused: one pass, no broadcast copy
        Variable[] inputs = b is null ? [x, w] : [x, w, b];
        return Record.Op("linear", y, inputs, dy => LinearBackward(x, w, b, dy));
    }

    /// <summary>
    /// A dense layer and its activation as one op: y = f(x·Wᵀ + b), f = relu, sigmoid or tanh
    /// (Sequential uses it for a Linear followed by one of those). The bias and f are one pass over
    /// the GEMM output — one kernel on the GPU (GpuDevice.BiasActivation) — and one node instead of
    /// two. Backward needs only y: da = dy·f'(a) from y (relu: where y > 0; sigmoid: y·(1 − y);
    /// tanh: 1 − y²), the same arithmetic as the separate ops, then the linear backward.
    /// </summary>
    public static Variable Linear(Variable x, Variable w, Variable b, UnaryOp activation)
    {
        if (x.Rank != 2 || w.Rank != 2 || x.Shape[1] != w.Shape[1] || b.Rank != 1 || b.Shape[0] != w.Shape[0])
            throw new ArgumentException($"linear: input {Shapes.Format(x.Shape)}, weight {Shapes.Format(w.Shape)}, bias {Shapes.Format(b.Shape)} do not fit y = f(x·Wᵀ + b) (x: (B, In), W: (Out, In), b: (Out))");
        var y = Tensor.MatMul(x.Data, w.Data, transB: true);
        y.AddRowVectorActivationInPlace(b.Data, activation);   // checks the activation
        return Record.Op($"linear {activation.ToString().ToLowerInvariant()}", y, [x, w, b], dy =>
        {
            var da = activation switch
            {
                UnaryOp.Relu => y.ReluBackward(dy),
                UnaryOp.Sigmoid => dy * y * (1.0 - y),
                _ => dy * (1.0 - y.Square()),
            };
            return LinearBackward(x, w, b, da);
        });
    }

    // y = x·Wᵀ + b: dx = dy·W (B, In), dW = dyᵀ·x (Out, In), db = Σ_batch dy (Out).
    private static Tensor?[] LinearBackward(Variable x, Variable w, Variable? b, Tensor dy)
    {
        var dx = x.RequiresGrad ? Tensor.MatMul(dy, w.Data) : null;
        var dw = w.RequiresGrad ? Tensor.MatMul(dy, x.Data, transA: true) : null;
        if (b is null) return [dx, dw];
        var db = b.RequiresGrad ? dy.Sum(0) : null;
        return [dx, dw, db];
    }
}
