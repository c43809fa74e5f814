using Scratch.Kernels;

namespace Scratch;

// The dense layer's two GEMMs with their neighbours fused in: the forward product with its bias
// and activation (the GEMM's epilogue), the weight gradient with the bias gradient (summed while
// the GEMM packs dy). On a device without these kernels each is composed from the plain ops, with
// the same result: the fused kernels are bitwise equal to their compositions.
public sealed partial class Tensor
{
    /// <summary>
    /// y = act(x·wᵀ + bias). x: (B, In), w: (Out, In), bias: (Out) or null → y: (B, Out).
    /// act is identity, ReLU, or leaky ReLU with <paramref name="negativeSlope"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit, the dtypes or devices differ, or <paramref name="activation"/> is not a defined value.</exception>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? bias, GemmActivation activation = GemmActivation.Identity,
        double negativeSlope = 0.01)
    {
        CheckSameDTypeAndDevice("linear", x, w);
        if (bias != null) CheckSameDTypeAndDevice("linear", x, bias);
        if (x.Rank != 2 || w.Rank != 2 || x._shape[1] != w._shape[1] || (bias != null && (bias.Rank != 1 || bias._shape[0] != w._shape[0])))
            throw new ArgumentException($"linear: input {Shapes.Format(x._shape)}, weight {Shapes.Format(w._shape)}{(bias is null ? "" : $", bias {Shapes.Format(bias._shape)}")} do not fit y = x·Wᵀ + b (x: (B, In), W: (Out, In), b: (Out))");
        if (!Enum.IsDefined(activation))
            throw new ArgumentException($"linear: activation {(int)activation} is not a GemmActivation");
        var (xs, transX) = Canonical(x, false);
        var (ws, transW) = Canonical(w, true);
        var b = bias?.Contiguous();
        int batch = x._shape[0], inFeatures = x._shape[1], outFeatures = w._shape[0];
        var y = Empty([batch, outFeatures], x.DType, x.Device);
        if (x.Backend.TryGemmBiasActivation(transX, transW, batch, outFeatures, inFeatures, xs.Buffer(), xs._shape[1],
                ws.Buffer(), ws._shape[1], y.Buffer(), outFeatures, b?.Buffer(), activation, negativeSlope))
            return y;

        // Composed: the GEMM, then bias and activation — one kernel for bias + ReLU where the device
        // has it (GpuDevice.BiasActivation), else one pass each.
        x.Backend.Gemm(transX, transW, batch, outFeatures, inFeatures, 1.0, xs.Buffer(), xs._shape[1], ws.Buffer(), ws._shape[1], 0.0, y.Buffer(), outFeatures);
        if (b != null && activation == GemmActivation.Relu)
        {
            y.AddRowVectorActivationInPlace(b, UnaryOp.Relu);
            return y;
        }
        if (b != null) y.AddRowVectorInPlace(b);
        return activation switch
        {
            GemmActivation.Relu => y.Relu(),
            GemmActivation.LeakyRelu => y.LeakyRelu(negativeSlope),
            _ => y,
        };
    }

    /// <summary>
    /// The weight and bias gradients of a dense layer in one GEMM: dW = dyᵀ·x and, when
    /// <paramref name="withBias"/>, db = Σ_batch dy. dy: (B, Out), x: (B, In) → dW: (Out, In), db: (Out).
    /// </summary>
    /// <exception cref="ArgumentException">An operand is not 2-D, the batch sizes differ, or the dtypes or devices differ.</exception>
    public static (Tensor Weight, Tensor? Bias) LinearWeightGradients(Tensor dy, Tensor x, bool withBias)
    {
        CheckSameDTypeAndDevice("linear backward", dy, x);
        if (dy.Rank != 2 || x.Rank != 2 || dy._shape[0] != x._shape[0])
            throw new ArgumentException($"linear backward: dy {Shapes.Format(dy._shape)} and input {Shapes.Format(x._shape)} need the same batch (dy: (B, Out), x: (B, In))");
        int batch = x._shape[0], inFeatures = x._shape[1], outFeatures = dy._shape[1];
        // dW (Out, In) = dyᵀ (Out, B) · x (B, In): dy read transposed, as stored.
        var (dys, transDy) = Canonical(dy, true);
        var (xs, transX) = Canonical(x, false);
        var dw = Empty([outFeatures, inFeatures], x.DType, x.Device);
        var db = withBias ? Empty([outFeatures], x.DType, x.Device) : null;
        if (db != null && x.Backend.TryGemmRowSums(transDy, transX, outFeatures, inFeatures, batch, dys.Buffer(), dys._shape[1],
                xs.Buffer(), xs._shape[1], dw.Buffer(), inFeatures, db.Buffer()))
            return (dw, db);

        x.Backend.Gemm(transDy, transX, outFeatures, inFeatures, batch, 1.0, dys.Buffer(), dys._shape[1], xs.Buffer(), xs._shape[1], 0.0, dw.Buffer(), inFeatures);
        return (dw, withBias ? dy.Sum(0) : null);
    }
}
