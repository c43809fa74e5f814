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

    public ReadOnlySpan<int> Shape => Data.Shape;
    public int[] ShapeArray => Data.ShapeArray;
    public int Rank => Data.Rank;
    public DType DType => Data.DType;
    public Device Device => Data.Device;
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
    public double Item() => Data.Item();

    /// <summary>Backpropagates from a one-element result (dy = 1).</summary>
    public void Backward()
    {
        if (Data.Numel != 1)
            throw new InvalidOperationException($"backward: the result has shape {Shapes.Format(Data.Shape)}; call Backward(outputGradient) for a non-scalar result");
        Backprop.Run(this, Tensor.OnesLike(Data), retainGraph: false);
    }

    /// <summary>Backpropagates a given output gradient (same shape as this).</summary>
    public void Backward(Tensor outputGradient, bool retainGraph = false)
    {
        if (!Shapes.SameShape(outputGradient.Shape, Data.Shape))
            throw new ArgumentException($"backward: output gradient shape {Shapes.Format(outputGradient.Shape)} differs from the result's {Shapes.Format(Data.Shape)}");
        Backprop.Run(this, outputGradient, retainGraph);
    }

    public override string ToString() => $"Variable{(Name is null ? "" : " " + Name)} {Data}";

    public static implicit operator Variable(Tensor t) => new(t);
}
