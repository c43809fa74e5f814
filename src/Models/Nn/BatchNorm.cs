using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>
/// torch.nn.BatchNorm1d/2d. Training (or track_running_stats = false): normalise with the batch's
/// mean and biased variance, and update running_mean and running_var (unbiased) with momentum —
/// or with a cumulative average when momentum is null, as PyTorch. Eval: normalise with the
/// running statistics. Parameters weight (γ, ones) and bias (β, zeros) when affine; buffers
/// running_mean (zeros), running_var (ones) and num_batches_tracked (0; a 0-D tensor of the
/// layer's dtype, since Scratch tensors are floating point: exact to 2^24 steps in float32).
/// </summary>
public abstract class BatchNorm : Layer
{
    /// <summary>C: the features (or channels) normalised separately; input dim 1 must equal it.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance before the square root: y = (x − mean)/√(var + eps) (default 1e-5).</summary>
    public double Eps { get; }
    /// <summary>running = (1 − momentum)·running + momentum·batch statistic (default 0.1); null for a cumulative average over all batches seen.</summary>
    public double? Momentum { get; }
    /// <summary>Whether the normalised value is scaled by <see cref="Weight"/> (γ) and shifted by <see cref="Bias"/> (β).</summary>
    public bool Affine { get; }
    /// <summary>Whether running statistics are kept for eval; without them eval also uses the batch's statistics.</summary>
    public bool TrackRunningStats { get; }
    /// <summary>γ: (C), initially ones: the parameter "weight"; null when not <see cref="Affine"/>.</summary>
    public Variable? Weight { get; }
    /// <summary>β: (C), initially zeros: the parameter "bias"; null when not <see cref="Affine"/>.</summary>
    public Variable? Bias { get; }
    private readonly Variable? _runningMean, _runningVar, _numBatchesTracked;

    /// <summary>The buffer running_mean: (C), the per-feature mean eval normalises with; null without <see cref="TrackRunningStats"/>.</summary>
    public Tensor? RunningMean => _runningMean?.Data;
    /// <summary>The buffer running_var: (C), the unbiased per-feature variance eval normalises with; null without <see cref="TrackRunningStats"/>.</summary>
    public Tensor? RunningVar => _runningVar?.Data;
    /// <summary>The buffer num_batches_tracked: a 0-D tensor counting training batches (it sets the weight of a null momentum); null without <see cref="TrackRunningStats"/>.</summary>
    public Tensor? NumBatchesTracked => _numBatchesTracked?.Data;

    /// <summary>Registers γ and β (when affine) and the three buffers (when tracking), as PyTorch's _BatchNorm.</summary>
    /// <exception cref="ArgumentException">numFeatures or eps is not positive, or momentum is outside [0, 1].</exception>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        if (numFeatures <= 0 || !(eps > 0) || momentum is < 0 or > 1)
            throw new ArgumentException($"{GetType().Name}: num_features {numFeatures} must be positive, eps {eps} positive, momentum {momentum} in [0, 1]");
        (NumFeatures, Eps, Momentum, Affine, TrackRunningStats) = (numFeatures, eps, momentum, affine, trackRunningStats);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures], dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype));
        }
        if (trackRunningStats)
        {
            _runningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            _runningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            _numBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], dtype));
        }
    }

    /// <summary>The input ranks this layer accepts, e.g. "(N, C) or (N, C, L)".</summary>
    protected abstract bool AcceptsRank(int rank, out string expected);

    /// <summary>
    /// Normalises each feature c of x: (N, C, …) → same shape, y = γ·(x − mean_c)/√(var_c + eps) + β, with
    /// the batch's statistics while training (updating the running ones) and the running ones in eval.
    /// </summary>
    /// <exception cref="ArgumentException">x's rank is not one the layer accepts, or dim 1 is not <see cref="NumFeatures"/>.</exception>
    public override Variable Forward(Variable x)
    {
        if (!AcceptsRank(x.Rank, out string expected) || x.Shape[1] != NumFeatures)
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): expected input {expected} with C = {NumFeatures}, got {Shapes.Format(x.Shape)}");
        bool useBatchStats = IsTraining || !TrackRunningStats;
        double momentum = Momentum ?? 0;
        if (IsTraining && TrackRunningStats)
        {
            // num_batches_tracked += 1 (kept in the tensor so checkpoints carry it)
            var count = _numBatchesTracked!.Data;
            count.CopyFrom(count + 1.0);
            if (Momentum is null) momentum = 1.0 / count.Item();   // cumulative moving average
        }
        // Batch statistics update the running ones when there are any (null without tracking).
        return Variable.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, useBatchStats, momentum, Eps);
    }

    /// <summary>In the style of PyTorch's repr: "BatchNorm2d(64, eps=1E-05, momentum=0.1, affine=True, track_running_stats=True)".</summary>
    public override string ToString() =>
        $"{GetType().Name}({NumFeatures}, eps={Eps}, momentum={Momentum?.ToString() ?? "None"}, affine={Affine}, track_running_stats={TrackRunningStats})";
}

/// <summary>torch.nn.BatchNorm1d over (N, C) or (N, C, L): statistics per feature C.</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
    bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <summary>Rank 2, (N, C), or rank 3, (N, C, L).</summary>
    protected override bool AcceptsRank(int rank, out string expected)
    {
        expected = "(N, C) or (N, C, L)";
        return rank is 2 or 3;
    }
}

/// <summary>torch.nn.BatchNorm2d over (N, C, H, W): statistics per channel over N, H and W.</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
    bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <summary>Rank 4 only, (N, C, H, W).</summary>
    protected override bool AcceptsRank(int rank, out string expected)
    {
        expected = "(N, C, H, W)";
        return rank == 4;
    }
}
