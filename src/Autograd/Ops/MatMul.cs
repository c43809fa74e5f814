using Scratch.Kernels;

namespace Scratch.Autograd;

// Matrix products and the dense layer. The backward products pass transpose flags to GEMM, so no
// transposed copy of a weight or an activation is ever made.
public sealed partial class Variable
{
    /// <summary>op(a)·op(b); a: (M, K), b: (K, N) → (M, N) (with the flags, the stored layouts flip).</summary>
    /// <exception cref="ArgumentException">An operand is not 2-D, the inner sizes differ, or the dtypes or devices differ.</exception>
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

    /// <summary>y = this·other as matrices: (M, K)·(K, N) → (M, N). Backward: d this = dy·otherᵀ, d other = thisᵀ·dy.</summary>
    /// <exception cref="ArgumentException">An operand is not 2-D, the inner sizes differ, or the dtypes or devices differ.</exception>
    public Variable MatMul(Variable other) => MatMul(this, other);

    /// <summary>
    /// The dense layer, fused: y = act(x·Wᵀ + b). x: (B, In), w: (Out, In), b: (Out) or null → y: (B, Out);
    /// act is identity (a plain Linear), ReLU, or leaky ReLU with <paramref name="negativeSlope"/> ≥ 0.
    /// The bias and the activation run in the GEMM's epilogue, one pass over y.
    /// Backward: dz = dy masked by act'(y), then dx = dz·W (B, In), dW = dzᵀ·x (Out, In), and
    /// db = Σ_batch dz (Out), summed while the dW GEMM packs dz.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit y = x·Wᵀ + b, the fused leaky ReLU has a negative slope, or the dtypes or devices differ.</exception>
    public static Variable Linear(Variable x, Variable w, Variable? b, GemmActivation activation = GemmActivation.Identity,
        double negativeSlope = 0.01)
    {
        if (x.Rank != 2 || w.Rank != 2 || x.Shape[1] != w.Shape[1] || (b != null && (b.Rank != 1 || b.Shape[0] != w.Shape[0])))
            throw new ArgumentException($"linear: input {Shapes.Format(x.Shape)}, weight {Shapes.Format(w.Shape)}{(b is null ? "" : $", bias {Shapes.Format(b.Shape)}")} do not fit y = x·Wᵀ + b (x: (B, In), W: (Out, In), b: (Out))");
        // The backward masks with y, not with x·Wᵀ + b (which is never stored): y > 0 exactly where
        // x·Wᵀ + b > 0 for ReLU, and for leaky ReLU when its slope is not negative.
        if (activation == GemmActivation.LeakyRelu && !(negativeSlope >= 0))
            throw new ArgumentException($"linear: the fused leaky ReLU needs a negative slope ≥ 0, got {negativeSlope}; apply LeakyRelu after Linear instead");
        var y = Tensor.Linear(x.Data, w.Data, b?.Data, activation, negativeSlope);
        Variable[] inputs = b is null ? [x, w] : [x, w, b];
        string name = activation switch { GemmActivation.Relu => "linear_relu", GemmActivation.LeakyRelu => "linear_leaky_relu", _ => "linear" };
        return Record.Op(name, y, inputs, dy =>
        {
            var dz = activation switch
            {
                GemmActivation.Relu => y.ReluBackward(dy),
                GemmActivation.LeakyRelu => y.LeakyReluSlope(negativeSlope) * dy,   // y > 0 exactly where x·Wᵀ + b > 0
                _ => dy,
            };
            var dx = x.RequiresGrad ? Tensor.MatMul(dz, w.Data) : null;
            bool biasGrad = b is { RequiresGrad: true };
            Tensor? dw = null, db = null;
            if (w.RequiresGrad) (dw, db) = Tensor.LinearWeightGradients(dz, x.Data, biasGrad);
            else if (biasGrad) db = dz.Sum(0);
            return b is null ? [dx, dw] : [dx, dw, db];
        });
    }
}
