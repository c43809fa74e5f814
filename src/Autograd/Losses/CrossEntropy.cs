namespace Scratch.Autograd;

public static partial class Losses
{
    /// <summary>
    /// Softmax cross-entropy on logits, PyTorch's F.cross_entropy with class indices:
    /// ℓ_b = log Σ_c e^{z_bc} − z_{b,y_b}, averaged over the batch. logits: (B, C), labels: B ints in [0, C).
    /// </summary>
    /// <remarks>
    /// Composed from primitives (no backward of its own): the row maximum m_b, a constant taken from
    /// the data, is subtracted first so no exponential overflows — log Σ e^{z − m} + m − z_y is the
    /// same number — and the label's logit is picked by a one-hot product. The composed gradient is
    /// softmax(z) − onehot(y), which is what a fused rule would compute.
    /// </remarks>
    /// <exception cref="ArgumentException">logits is not (B, C) with B = labels.Length, or a label is outside [0, C).</exception>
    public static Variable CrossEntropy(Variable logits, ReadOnlySpan<int> labels)
    {
        if (logits.Rank != 2 || logits.Shape[0] != labels.Length)
            throw new ArgumentException($"cross entropy: logits {Shapes.Format(logits.Shape)} need shape (B, C) with B = {labels.Length} labels");
        int batch = logits.Shape[0], classes = logits.Shape[1];
        var oneHot = new double[batch * classes];
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
                throw new ArgumentException($"cross entropy: label {labels[b]} at row {b} is not a class of {classes}");
            oneHot[b * classes + labels[b]] = 1;
        }
        var target = Tensor.FromArray(oneHot, batch, classes).To(logits.DType).To(logits.Device);
        var shifted = logits - new Variable(logits.Data.Max(1, keepDim: true));
        var logSumExp = shifted.Exp().Sum(1, keepDim: true).Log();   // (B, 1)
        var picked = (shifted * target).Sum(1, keepDim: true);       // (B, 1)
        return (logSumExp - picked).Mean();
    }
}
