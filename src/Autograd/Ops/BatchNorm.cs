namespace Scratch.Autograd;

// Batch normalisation, PyTorch's F.batch_norm. Its backward is written out (not composed from
// means and variances) because the composed graph would take a dozen passes over x; the fused
// rule needs two. What it needs is saved explicitly: the mean and 1/√(var + eps) that were used.
public sealed partial class Variable
{
    /// <summary>
    /// x: (N, C) or (N, C, H, W); runningMean, runningVar, weight (γ), bias (β): (C) or null.
    /// Training: normalises with the batch's mean and biased variance, and (when given) updates the
    /// running statistics in place: running = (1 − momentum)·running + momentum·batch, the variance
    /// unbiased (× M/(M − 1), M = N·H·W). Eval: normalises with the running statistics.
    /// y = (x − mean)/√(var + eps)·γ + β.
    /// </summary>
    /// <exception cref="ArgumentException">x is not 2-, 3- or 4-D, a per-channel tensor is not (C), training sees only one value per channel, or eval lacks the running statistics.</exception>
    public static Variable BatchNorm(Variable x, Tensor? runningMean, Tensor? runningVar, Variable? weight, Variable? bias,
        bool training, double momentum = 0.1, double eps = 1e-5)
    {
        Tensor mean, invStd;
        if (training)
        {
            long m = x.Data.Numel / Math.Max(1, x.Shape[1]);
            if (m <= 1)
                throw new ArgumentException($"batch_norm: expected more than 1 value per channel when training, got input {Shapes.Format(x.Shape)}");
            (mean, var variance) = Tensor.BatchNormStatistics(x.Data);
            invStd = (variance + eps).Sqrt().Reciprocal();
            if (runningMean != null)
                runningMean.CopyFrom(runningMean * (1 - momentum) + mean * momentum);
            if (runningVar != null)
                runningVar.CopyFrom(runningVar * (1 - momentum) + variance * (momentum * m / (m - 1.0)));
        }
        else
        {
            if (runningMean is null || runningVar is null)
                throw new ArgumentException("batch_norm: eval mode needs the running mean and variance");
            mean = runningMean.Clone();   // a snapshot: later training steps update the running tensors in place
            invStd = (runningVar + eps).Sqrt().Reciprocal();
        }
        var y = Tensor.BatchNormApply(x.Data, mean, invStd, weight?.Data, bias?.Data);
        Variable[] inputs = (weight, bias) switch
        {
            (null, null) => [x],
            (not null, null) => [x, weight],
            (null, not null) => [x, bias],
            _ => [x, weight, bias],
        };
        return Record.Op("batch_norm", y, inputs, dy =>
        {
            bool needAffine = weight is { RequiresGrad: true } || bias is { RequiresGrad: true };
            var (dx, dgamma, dbeta) = Tensor.BatchNormBackward(x.Data, dy, mean, invStd, weight?.Data, training, needAffine);
            var grads = new List<Tensor?> { x.RequiresGrad ? dx : null };
            if (weight != null) grads.Add(weight.RequiresGrad ? dgamma : null);
            if (bias != null) grads.Add(bias.RequiresGrad ? dbeta : null);
            return grads.ToArray();
        });
    }
}
