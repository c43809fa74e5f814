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

    /// <summary>lr, momentum, dampening, weight decay and Nesterov; a new record when <see cref="LearningRate"/> is set.</summary>
    public SgdSettings Settings { get; private set; }

    /// <inheritdoc/>
    public override double LearningRate
    {
        get => Settings.LearningRate;
        set => Settings = value >= 0 ? Settings with { LearningRate = value } : throw new ArgumentException($"sgd: learning rate {value} is negative");
    }

    /// <summary>torch.optim.SGD(parameters, lr, momentum, dampening, weight_decay, nesterov).</summary>
    /// <param name="parameters">The tensors to train, usually <c>model.Parameters()</c>; each must require a gradient.</param>
    /// <param name="learningRate">lr (≥ 0); required, as in PyTorch.</param>
    /// <param name="momentum">μ (≥ 0); 0 is plain SGD and keeps no state.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as wd·p (≥ 0).</param>
    /// <param name="dampening">The fraction of each new gradient left out of the momentum buffer.</param>
    /// <param name="nesterov">Nesterov momentum: the step looks ahead along the buffer.</param>
    /// <exception cref="ArgumentException">No parameters, one that does not require a gradient, or a negative lr, momentum or weight decay.</exception>
    public Sgd(IEnumerable<Variable> parameters, double learningRate, double momentum = 0, double weightDecay = 0,
        double dampening = 0, bool nesterov = false) : base(parameters)
    {
        Settings = new SgdSettings(learningRate, momentum, dampening, weightDecay, nesterov);
        if (!(learningRate >= 0) || !(momentum >= 0) || !(weightDecay >= 0))
            throw new ArgumentException($"sgd: invalid settings {Settings}");
        _momentum = ZerosLikeParameters();
    }

    /// <summary>One fused SgdStep on parameter <paramref name="index"/>, updating its momentum buffer and the parameter in place.</summary>
    protected override void Update(int index, Tensor param, Tensor grad) =>
        Tensor.SgdStep(param, grad, _momentum[index], Settings, StepCount);

    /// <summary>The momentum buffers as "momentum.i" for parameter i (torch's momentum_buffer); none when momentum is 0.</summary>
    public override IEnumerable<(string Name, Tensor State)> State()
    {
        if (Settings.Momentum == 0) yield break;
        for (int i = 0; i < _momentum.Length; i++) yield return ($"momentum.{i}", _momentum[i]);
    }
}
