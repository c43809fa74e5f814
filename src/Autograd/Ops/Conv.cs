namespace Scratch.Autograd;

// Convolution and transposed convolution. Each is the other's adjoint, so their backward rules
// are each other's forward: conv2d's input gradient is a transposed convolution of dy, and
// conv_transpose2d's input gradient is a convolution of dy — with the same weight either way.
public sealed partial class Variable
{
    /// <summary>
    /// x: (N, C, H, W), w: (O, C, KH, KW), b: (O) or null → y: (N, O, OH, OW).
    /// Backward: dx = conv_transpose(dy, w) (N, C, H, W), dw = Σ_n dy ⋆ x (O, C, KH, KW), db = Σ_{n,i,j} dy (O).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit a convolution (see Tensor.Conv2d), stride or dilation is not positive, or padding is negative.</exception>
    public static Variable Conv2d(Variable x, Variable w, Variable? b = null, Size2? stride = null, Size2? padding = null, Size2? dilation = null)
    {
        Size2 st = stride ?? 1, pad = padding ?? 0, dil = dilation ?? 1;
        var y = Tensor.Conv2d(x.Data, w.Data, b?.Data, st, pad, dil);
        Variable[] inputs = b is null ? [x, w] : [x, w, b];
        Size2 inputSize = new(x.Shape[2], x.Shape[3]), kernel = new(w.Shape[2], w.Shape[3]);
        return Record.Op("conv2d", y, inputs, dy =>
        {
            var dx = x.RequiresGrad ? Tensor.Conv2dBackwardInput(dy, w.Data, inputSize, st, pad, dil) : null;
            var dw = w.RequiresGrad ? Tensor.Conv2dBackwardWeight(x.Data, dy, kernel, st, pad, dil) : null;
            if (b is null) return [dx, dw];
            return [dx, dw, b.RequiresGrad ? ChannelSums(dy) : null];
        });
    }

    /// <summary>
    /// x: (N, Cin, H, W), w: (Cin, Cout, KH, KW), b: (Cout) or null → y: (N, Cout, OH, OW),
    /// OH = (H − 1)·stride − 2·padding + dilation·(KH − 1) + outputPadding + 1.
    /// Backward: dx = conv2d(dy, w) (N, Cin, H, W), dw = Σ_n x ⋆ dy (Cin, Cout, KH, KW), db = Σ_{n,i,j} dy (Cout).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit a transposed convolution (see Tensor.ConvTranspose2d), or outputPadding is not below stride or dilation.</exception>
    public static Variable ConvTranspose2d(Variable x, Variable w, Variable? b = null, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, Size2? dilation = null)
    {
        Size2 st = stride ?? 1, pad = padding ?? 0, dil = dilation ?? 1;
        var y = Tensor.ConvTranspose2d(x.Data, w.Data, b?.Data, st, pad, outputPadding ?? 0, dil);
        Variable[] inputs = b is null ? [x, w] : [x, w, b];
        Size2 kernel = new(w.Shape[2], w.Shape[3]);
        return Record.Op("conv_transpose2d", y, inputs, dy =>
        {
            // The adjoint convolution reads dy (N, Cout, OH, OW) as its input and x as its output;
            // both gradients read dy's patches, so when both are wanted one call gathers them once.
            Tensor? dx = null, dw = null;
            if (x.RequiresGrad && w.RequiresGrad) (dx, dw) = Tensor.Conv2dAndBackwardWeight(dy, w.Data, x.Data, st, pad, dil);
            else if (x.RequiresGrad) dx = Tensor.Conv2d(dy, w.Data, null, st, pad, dil);
            else if (w.RequiresGrad) dw = Tensor.Conv2dBackwardWeight(dy, x.Data, kernel, st, pad, dil);
            if (b is null) return [dx, dw];
            return [dx, dw, b.RequiresGrad ? ChannelSums(dy) : null];
        });
    }

    // dy: (N, C, H, W) → (C): the bias gradient, Σ over batch and pixels.
    private static Tensor ChannelSums(Tensor dy) =>
        dy.Reshape(dy.Shape[0], dy.Shape[1], -1).Sum(2).Sum(0);
}
