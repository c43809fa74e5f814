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
    public int NumFeatures { get; }
    public double Eps { get; }
    public double? Momentum { get; }
    public bool Affine { get; }
    public bool TrackRunningStats { get; }
    public Variable? Weight { get; }
    public Variable? Bias { get; }
    private readonly Variable? _runningMean, _runningVar, _numBatchesTracked;

    public Tensor? RunningMean => _runningMean?.Data;
    public Tensor? RunningVar => _runningVar?.Data;
    public Tensor? NumBatchesTracked => _numBatchesTracked?.Data;

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

    public override string ToString() =>
        $"{GetType().Name}({NumFeatures}, eps={Eps}, momentum={Momentum?.ToString() ?? "None"}, affine={Affine}, track_running_stats={TrackRunningStats})";
}

/// <summary>torch.nn.BatchNorm1d over (N, C) or (N, C, L): statistics per feature C.</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
    bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
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
    protected override bool AcceptsRank(int rank, out string expected)
    {
        expected = "(N, C, H, W)";
        return rank == 4;
    }
}
