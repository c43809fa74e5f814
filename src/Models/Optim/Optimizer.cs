using Scratch.Autograd;

namespace Scratch.Models.Optim;

/// <summary>
/// Updates parameters from their gradients. Each optimizer keeps its per-parameter state (moments,
/// momentum) as tensors beside the parameter and updates everything in one fused pass per parameter.
/// A parameter with no gradient (unused in the last backward) is skipped, as in PyTorch.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(IEnumerable<Variable> parameters)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("optimizer: no parameters to optimize");
        if (Parameters.Any(p => !p.RequiresGrad))
            throw new ArgumentException("optimizer: every parameter must require a gradient");
    }

    public IReadOnlyList<Variable> Parameters { get; }

    /// <summary>The step size; schedulers (<see cref="LrScheduler"/>) set it between steps.</summary>
    public abstract double LearningRate { get; set; }

    /// <summary>Steps taken so far (Adam's bias correction counts from 1).</summary>
    public int StepCount { get; protected set; }

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i].Grad is { } grad) Update(i, Parameters[i].Data, grad);
    }

    /// <summary>Updates parameter i in place.</summary>
    protected abstract void Update(int index, Tensor param, Tensor grad);

    /// <summary>The state tensors by name ("m.3", "v.3"), for checkpoints.</summary>
    public abstract IEnumerable<(string Name, Tensor State)> State();

    /// <summary>Restores state saved by <see cref="State"/> and the step count.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state, int stepCount)
    {
        foreach (var (name, tensor) in State())
        {
            if (!state.TryGetValue(name, out var saved))
                throw new ArgumentException($"optimizer: the saved state has no '{name}'");
            if (!Shapes.SameShape(saved.Shape, tensor.Shape))
                throw new ArgumentException($"optimizer: saved '{name}' has shape {Shapes.Format(saved.Shape)}, expected {Shapes.Format(tensor.Shape)}");
            tensor.CopyFrom(saved.To(tensor.DType).To(tensor.Device));
        }
        StepCount = stepCount;
    }

    protected Tensor[] ZerosLikeParameters() => Parameters.Select(p => Tensor.ZerosLike(p.Data)).ToArray();
}
