using Scratch.Autograd;

namespace Scratch.Models.Optim;

/// <summary>
/// Updates parameters from their gradients. Each optimizer keeps its per-parameter state (moments,
/// momentum) as tensors beside the parameter and updates everything in one fused pass per parameter.
/// A parameter with no gradient (unused in the last backward) is skipped, as in PyTorch.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Takes a snapshot of <paramref name="parameters"/> (the list is fixed from here on).</summary>
    /// <exception cref="ArgumentException">The list is empty, or a parameter does not require a gradient.</exception>
    protected Optimizer(IEnumerable<Variable> parameters)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("optimizer: no parameters to optimize");
        if (Parameters.Any(p => !p.RequiresGrad))
            throw new ArgumentException("optimizer: every parameter must require a gradient");
    }

    /// <summary>The parameters this optimizer updates, in the order given; state names use these indices.</summary>
    public IReadOnlyList<Variable> Parameters { get; }

    /// <summary>The step size; schedulers (<see cref="LrScheduler"/>) set it between steps.</summary>
    public abstract double LearningRate { get; set; }

    /// <summary>Steps taken so far (Adam's bias correction counts from 1).</summary>
    public int StepCount { get; protected set; }

    /// <summary>Clears every parameter's gradient (torch's optimizer.zero_grad()); call before each backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    /// <summary>Counts a step, then updates every parameter that has a gradient from the last backward (torch's optimizer.step()).</summary>
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
    /// <exception cref="ArgumentException">A state tensor this optimizer keeps is missing from <paramref name="state"/> or has another shape.</exception>
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

    /// <summary>One zero tensor shaped, typed and placed like each parameter: fresh per-parameter state for a constructor.</summary>
    protected Tensor[] ZerosLikeParameters() => Parameters.Select(p => Tensor.ZerosLike(p.Data)).ToArray();
}
