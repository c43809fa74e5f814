using Scratch.Autograd;

namespace Scratch.Models.Optim;

/// <summary>
/// Stochastic gradient descent, exactly torch.optim.SGD: g += wd·p; with momentum,
/// buf ← g on the first step, then buf ← μ·buf + (1 − dampening)·g; p ← p − lr·buf
/// (Nesterov: p ← p − lr·(g + μ·buf)).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[] _momentum;

    public SgdSettings Settings { get; private set; }

    /// <inheritdoc/>
    public override double LearningRate
    {
        get => Settings.LearningRate;
        set => Settings = value >= 0 ? Settings with { LearningRate = value } : throw new ArgumentException($"sgd: learning rate {value} is negative");
    }

    public Sgd(IEnumerable<Variable> parameters, double learningRate, double momentum = 0, double weightDecay = 0,
        double dampening = 0, bool nesterov = false) : base(parameters)
    {
        Settings = new SgdSettings(learningRate, momentum, dampening, weightDecay, nesterov);
        if (!(learningRate >= 0) || !(momentum >= 0) || !(weightDecay >= 0))
            throw new ArgumentException($"sgd: invalid settings {Settings}");
        _momentum = ZerosLikeParameters();
    }

    protected override void Update(int index, Tensor param, Tensor grad) =>
        Tensor.SgdStep(param, grad, _momentum[index], Settings, StepCount);

    public override IEnumerable<(string Name, Tensor State)> State()
    {
        if (Settings.Momentum == 0) yield break;
        for (int i = 0; i < _momentum.Length; i++) yield return ($"momentum.{i}", _momentum[i]);
    }
}
