namespace Scratch.Autograd;

/// <summary>
/// A tensor that remembers how it was made. Ops on variables compute their value at once (eager)
/// and, unless gradients are off, record a <see cref="Node"/>: the inputs and a backward rule.
/// <see cref="Backward()"/> walks those records from a result back to the leaves and adds each
/// leaf's gradient into <see cref="Grad"/>.
/// </summary>
public sealed partial class Variable
{
    /// <summary>The value.</summary>
    public Tensor Data { get; set; }

    /// <summary>∂(the result Backward was called on)/∂this, accumulated with +=; null until a backward reaches it.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Leaves with this set (parameters, inputs under a gradient check) receive gradients.</summary>
    public bool RequiresGrad { get; }

    /// <summary>The record of the op that made this variable; null for leaves and after release.</summary>
    internal Node? Creator { get; set; }

    /// <summary>A name for messages (parameters get theirs from the module tree).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// A leaf of the graph: a value made outside any op. With <paramref name="requiresGrad"/> it is
    /// something to differentiate with respect to (a parameter, or an input under a gradient check),
    /// and <see cref="Backward()"/> fills its <see cref="Grad"/>; without, it is a constant.
    /// </summary>
    /// <param name="data">The value; kept, not copied.</param>
    /// <param name="requiresGrad">Whether backward passes accumulate a gradient into this leaf.</param>
    /// <param name="name">A name for messages, e.g. "encoder.0.weight".</param>
    public Variable(Tensor data, bool requiresGrad = false, string? name = null)
    {
        Data = data;
        RequiresGrad = requiresGrad;
        Name = name;
    }

    internal Variable(Tensor data, Node creator)
    {
        Data = data;
        Creator = creator;
        RequiresGrad = true;
    }

    /// <summary>The value's dimensions, e.g. (B, F); its gradient always has the same shape.</summary>
    public ReadOnlySpan<int> Shape => Data.Shape;
    /// <summary>A copy of <see cref="Shape"/> as a new array.</summary>
    public int[] ShapeArray => Data.ShapeArray;
    /// <summary>The number of dimensions of the value.</summary>
    public int Rank => Data.Rank;
    /// <summary>The value's element type; gradients have the same.</summary>
    public DType DType => Data.DType;
    /// <summary>The device of the value; every op of a graph runs there, backward included.</summary>
    public Device Device => Data.Device;
    /// <summary>
    /// True for variables made by the constructor (parameters, inputs, constants) and for op results
    /// that recorded nothing (under <see cref="NoGrad"/>, or with no input requiring a gradient);
    /// false for a recorded op's result, also after a backward pass released its graph.
    /// </summary>
    public bool IsLeaf => Creator == null;

    /// <summary>The same value, cut from the graph: nothing flows back through it.</summary>
    public Variable Detach() => new(Data);

    /// <summary>
    /// Forgets the accumulated gradient (Grad becomes null). Its buffer is kept and refilled by the
    /// next backward, so a training loop allocates no gradient buffers in steady state.
    /// </summary>
    public void ZeroGrad()
    {
        if (Grad != null) _spareGrad = Grad;
        Grad = null;
    }

    private Tensor? _spareGrad;

    /// <summary>Adds a gradient into <see cref="Grad"/>, into a buffer of its own that outlives any pooling scope.</summary>
    internal void AccumulateGrad(Tensor grad)
    {
        if (Grad != null)
        {
            Grad.AddInPlace(grad);
            return;
        }
        if (_spareGrad is { } spare && Shapes.SameShape(spare.Shape, grad.Shape) && spare.DType == grad.DType && spare.Device == grad.Device)
        {
            spare.CopyFrom(grad);
            Grad = spare;
            return;
        }
        // A fresh tensor, never a view of someone else's buffer, so += later cannot corrupt it.
        using (TensorPool.Persistent()) Grad = grad.Clone();
    }

    /// <summary>The value of a one-element variable.</summary>
    /// <exception cref="InvalidOperationException">The value does not have exactly one element.</exception>
    public double Item() => Data.Item();

    /// <summary>Backpropagates from a one-element result (dy = 1).</summary>
    /// <exception cref="InvalidOperationException">
    /// The result has more than one element, its graph was released by an earlier backward (pass
    /// retainGraph: true to the first), or it depends on no variable that requires a gradient.
    /// </exception>
    public void Backward()
    {
        if (Data.Numel != 1)
            throw new InvalidOperationException($"backward: the result has shape {Shapes.Format(Data.Shape)}; call Backward(outputGradient) for a non-scalar result");
        Backprop.Run(this, Tensor.OnesLike(Data), retainGraph: false);
    }

    /// <summary>Backpropagates a given output gradient (same shape as this).</summary>
    /// <param name="outputGradient">∂L/∂this for some scalar L: the vector of the vector–Jacobian product.</param>
    /// <param name="retainGraph">Keep the graph's saved tensors so a second backward through it can run.</param>
    /// <exception cref="ArgumentException"><paramref name="outputGradient"/>'s shape differs from this variable's.</exception>
    /// <exception cref="InvalidOperationException">The graph was already released, or the result depends on no variable that requires a gradient.</exception>
    public void Backward(Tensor outputGradient, bool retainGraph = false)
    {
        if (!Shapes.SameShape(outputGradient.Shape, Data.Shape))
            throw new ArgumentException($"backward: output gradient shape {Shapes.Format(outputGradient.Shape)} differs from the result's {Shapes.Format(Data.Shape)}");
        Backprop.Run(this, outputGradient, retainGraph);
    }

    /// <summary>"Variable name Tensor(…)": the name, if any, and the value as <see cref="Tensor.ToString"/> prints it.</summary>
    public override string ToString() => $"Variable{(Name is null ? "" : " " + Name)} {Data}";

    /// <summary>Wraps a tensor as a constant leaf (no gradient), so tensors mix with variables in expressions: <c>v * mask</c>.</summary>
    public static implicit operator Variable(Tensor t) => new(t);
}
