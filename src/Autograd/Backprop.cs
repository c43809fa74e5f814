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

        // The walk's bookkeeping is reused from one Backward() to the next on this thread (a training
        // step's graph has the same size every time): that saves ~4 KB of managed allocation per step.
        var ws = Workspace.Take();
        try
        {
            RunWith(ws, root, outputGradient, retainGraph);
        }
        finally
        {
            ws.Return();
        }
    }

    private static void RunWith(Workspace ws, Variable root, Tensor outputGradient, bool retainGraph)
    {
        var order = TopologicalOrder(root, ws);
        // Gradients of intermediate results live here only while needed; leaves get theirs in Grad.
        var pending = ws.Pending;
        pending[root] = outputGradient;
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
    private static List<Variable> TopologicalOrder(Variable root, Workspace ws)
    {
        var visited = ws.Visited;
        var postOrder = ws.Order;
        var stack = ws.Stack;
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

    // The collections of one backward pass. One per thread, taken while a pass runs (a backward
    // started inside another, should a gradient function ever do that, gets fresh ones) and
    // cleared when given back, so it holds no tensor between steps.
    private sealed class Workspace
    {
        [ThreadStatic] private static Workspace? _free;

        public readonly Dictionary<Variable, Tensor> Pending = new(ReferenceEqualityComparer.Instance);
        public readonly HashSet<Variable> Visited = new(ReferenceEqualityComparer.Instance);
        public readonly List<Variable> Order = [];
        public readonly Stack<(Variable V, int NextInput)> Stack = new();

        public static Workspace Take()
        {
            var ws = _free ?? new Workspace();
            _free = null;
            return ws;
        }

        public void Return()
        {
            Pending.Clear();
            Visited.Clear();
            Order.Clear();
            Stack.Clear();
            _free = this;
        }
    }
}
