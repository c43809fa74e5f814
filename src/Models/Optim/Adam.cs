namespace Scratch.Models.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), exactly torch.optim.Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε). Weight decay here is L2 (g += wd·p);
/// <see cref="AdamW"/> decouples it.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor[] _m, _v;

    /// <summary>lr, β₁, β₂, ε, weight decay and whether it is decoupled (AdamW); a new record when <see cref="LearningRate"/> is set.</summary>
    public AdamSettings Settings { get; private set; }

    /// <inheritdoc/>
    public override double LearningRate
    {
        get => Settings.LearningRate;
        set => Settings = value >= 0 ? Settings with { LearningRate = value } : throw new ArgumentException($"adam: learning rate {value} is negative");
    }

    /// <summary>torch.optim.Adam(parameters, lr, betas = (beta1, beta2), eps, weight_decay), with PyTorch's defaults.</summary>
    /// <param name="parameters">The tensors to train, usually <c>model.Parameters()</c>; each must require a gradient.</param>
    /// <param name="learningRate">lr, the step size (≥ 0).</param>
    /// <param name="beta1">β₁, the decay of the gradient's running mean m, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the squared gradient's running mean v, in [0, 1).</param>
    /// <param name="epsilon">ε, added to √v̂ so the step stays finite (≥ 0).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as wd·p (≥ 0).</param>
    /// <exception cref="ArgumentException">No parameters, one that does not require a gradient, or a setting out of range.</exception>
    public Adam(IEnumerable<Autograd.Variable> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : this(parameters, new AdamSettings(learningRate, beta1, beta2, epsilon, weightDecay, Decoupled: false)) { }

    /// <summary>Adam with settings given whole; <see cref="AdamW"/> passes Decoupled = true.</summary>
    /// <exception cref="ArgumentException">No parameters, one that does not require a gradient, or a setting out of range.</exception>
    protected Adam(IEnumerable<Autograd.Variable> parameters, AdamSettings settings) : base(parameters)
    {
        if (!(settings.LearningRate >= 0) || !(settings.Beta1 is >= 0 and < 1) || !(settings.Beta2 is >= 0 and < 1) || !(settings.Epsilon >= 0) || !(settings.WeightDecay >= 0))
            throw new ArgumentException($"adam: invalid settings {settings}");
        Settings = settings;
        _m = ZerosLikeParameters();
        _v = ZerosLikeParameters();
    }

    /// <summary>One fused AdamStep on parameter <paramref name="index"/>: updates m, v and the parameter in place, bias-corrected for <see cref="Optimizer.StepCount"/>.</summary>
    protected override void Update(int index, Tensor param, Tensor grad) =>
        Tensor.AdamStep(param, grad, _m[index], _v[index], Settings, StepCount);

    /// <summary>The moments, as "m.i" and "v.i" for parameter i (each shaped like the parameter); with the step count they are torch's exp_avg, exp_avg_sq and step.</summary>
    public override IEnumerable<(string Name, Tensor State)> State()
    {
        for (int i = 0; i < _m.Length; i++)
        {
            yield return ($"m.{i}", _m[i]);
            yield return ($"v.{i}", _v[i]);
        }
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, p ← p·(1 − lr·wd) before the step.</summary>
public sealed class AdamW(IEnumerable<Autograd.Variable> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double epsilon = 1e-8, double weightDecay = 1e-2)
    : Adam(parameters, new AdamSettings(learningRate, beta1, beta2, epsilon, weightDecay, Decoupled: true));
