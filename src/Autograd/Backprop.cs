namespace Scratch.Autograd;

/// <summary>
/// Reverse-mode differentiation: order the graph so each node comes after everything that uses
/// its output, then walk it once, handing each node the sum of its output's gradients.
/// </summary>
internal static class Backprop
{
    public static void Run(Variable root, Tensor outputGradient, bool retainGraph)
    {
        if (root.Creator is { Released: true })
            throw new InvalidOperationException("backward: this graph was already released by an earlier Backward(); pass retainGraph: true to the first call to run backward twice");
        if (!root.RequiresGrad)
            throw new InvalidOperationException("backward: the result does not depend on any variable that requires a gradient (was it computed under NoGrad?)");

        var order = TopologicalOrder(root);
        // Gradients of intermediate results live here only while needed; leaves get theirs in Grad.
        var pending = new Dictionary<Variable, Tensor>(ReferenceEqualityComparer.Instance) { [root] = outputGradient };
        // No graph is built while backpropagating: gradients are plain tensors.
        using (NoGrad.Scope())
        {
            foreach (var v in order)
            {
                if (!pending.Remove(v, out var grad)) continue;
                var node = v.Creator;
                if (node is null)
                {
                    Accumulate(v, grad);
                    continue;
                }
                if (node.Released)
                    throw new InvalidOperationException($"backward: the graph through '{node.Op}' was already released by an earlier Backward(); pass retainGraph: true");
                long started = Profiler.BackwardStart();
                var inputGrads = node.Backward!(grad);
                Profiler.BackwardEnd(node.Op, started);
                Anomaly.CheckBackward(node, inputGrads);
                for (int i = 0; i < node.Inputs.Length; i++)
                {
                    var input = node.Inputs[i];
                    if (inputGrads[i] is not { } g || !input.RequiresGrad) continue;
                    if (!Shapes.SameShape(g.Shape, input.Shape))
                        throw new InvalidOperationException($"backward of '{node.Op}': gradient {Shapes.Format(g.Shape)} for input {i} does not match its shape {Shapes.Format(input.Shape)}");
                    pending[input] = pending.TryGetValue(input, out var sum) ? sum + g : g;
                }
                if (!retainGraph) node.Release();
            }
        }
    }

    private static void Accumulate(Variable leaf, Tensor grad)
    {
        if (leaf.RequiresGrad) leaf.AccumulateGrad(grad);
    }

    // Depth-first post-order, iterative so deep graphs cannot overflow the stack; reversed it puts
    // every variable before the inputs it was made from.
    private static List<Variable> TopologicalOrder(Variable root)
    {
        var visited = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        var postOrder = new List<Variable>();
        var stack = new Stack<(Variable V, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (v, next) = stack.Pop();
            var inputs = v.Creator?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((v, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
            }
            else postOrder.Add(v);
        }
        postOrder.Reverse();
        return postOrder;
    }
}
