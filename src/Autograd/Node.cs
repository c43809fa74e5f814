namespace Scratch.Autograd;

/// <summary>
/// One recorded op: its name (for messages), its inputs, and its backward rule, which maps the
/// gradient of the output to one gradient per input (null where an input needs none). The rule
/// is a closure written right beside the forward, capturing exactly what backward needs.
/// </summary>
internal sealed class Node(string op, Variable[] inputs, Func<Tensor, Tensor?[]> backward)
{
    public string Op { get; } = op;
    public Variable[] Inputs { get; private set; } = inputs;
    public Func<Tensor, Tensor?[]>? Backward { get; private set; } = backward;

    public bool Released => Backward == null;

    /// <summary>Drops the inputs and the closure so the saved tensors can be collected.</summary>
    public void Release()
    {
        Backward = null;
        Inputs = [];
    }
}
