namespace Scratch.Models.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), exactly torch.optim.Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε). Weight decay here is L2 (g += wd·p);
/// <see cref="AdamW"/> decouples it.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor[] _m, _v;

    public AdamSettings Settings { get; private set; }

    /// <inheritdoc/>
    public override double LearningRate
    {
        get => Settings.LearningRate;
        set => Settings = value >= 0 ? Settings with { LearningRate = value } : throw new ArgumentException($"adam: learning rate {value} is negative");
    }

    public Adam(IEnumerable<Autograd.Variable> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : this(parameters, new AdamSettings(learningRate, beta1, beta2, epsilon, weightDecay, Decoupled: false)) { }

    protected Adam(IEnumerable<Autograd.Variable> parameters, AdamSettings settings) : base(parameters)
    {
        if (!(settings.LearningRate >= 0) || !(settings.Beta1 is >= 0 and < 1) || !(settings.Beta2 is >= 0 and < 1) || !(settings.Epsilon >= 0) || !(settings.WeightDecay >= 0))
            throw new ArgumentException($"adam: invalid settings {settings}");
        Settings = settings;
        _m = ZerosLikeParameters();
        _v = ZerosLikeParameters();
    }

    protected override void Update(int index, Tensor param, Tensor grad) =>
        Tensor.AdamStep(param, grad, _m[index], _v[index], Settings, StepCount);

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
