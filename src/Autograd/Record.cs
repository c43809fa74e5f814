namespace Scratch.Autograd;

/// <summary>Where every op's forward meets the tape: wraps a result and, when needed, records it.</summary>
internal static class Record
{
    /// <summary>
    /// Wraps <paramref name="result"/>; records the node only when gradients are on and some input
    /// needs a gradient — so inference under <see cref="NoGrad"/> builds no graph at all.
    /// </summary>
    public static Variable Op(string op, Tensor result, Variable[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        Profiler.Forward(op);
        Anomaly.CheckForward(op, result, inputs);
        if (!GradMode.IsEnabled || !inputs.Any(i => i.RequiresGrad)) return new Variable(result);
        return new Variable(result, new Node(op, inputs, backward));
    }
}

public sealed partial class Variable
{
    /// <summary>
    /// Defines a new differentiable op from outside the engine: its forward result, its inputs and
    /// its backward rule (output gradient → one gradient per input, null where none). Check it
    /// with <see cref="GradCheck"/>.
    /// </summary>
    public static Variable FromOp(string op, Tensor result, Variable[] inputs, Func<Tensor, Tensor?[]> backward) =>
        Record.Op(op, result, inputs, backward);
}
