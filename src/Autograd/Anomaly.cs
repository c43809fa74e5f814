namespace Scratch.Autograd;

/// <summary>
/// Anomaly mode (opt-in, like torch.autograd.detect_anomaly): every forward result and every
/// gradient is checked, and the first op to yield NaN or ±Inf is named with its shapes. It costs a
/// pass over every tensor, so it is off unless a scope turns it on.
/// </summary>
public static class Anomaly
{
    [ThreadStatic] private static int _depth;

    /// <summary>True inside an <see cref="Scope"/> on this thread: every forward result and gradient is checked for NaN and ±Inf.</summary>
    public static bool IsEnabled => _depth > 0;

    /// <summary><c>using (Anomaly.Scope()) { ... }</c></summary>
    /// <returns>The handle whose Dispose ends the scope. Scopes nest; checking stays on until the outermost ends.</returns>
    public static IDisposable Scope()
    {
        _depth++;
        return new ScopeHandle(static () => _depth--);
    }

    internal static void CheckForward(string op, Tensor result, Variable[] inputs)
    {
        if (!IsEnabled || AllFinite(result)) return;
        throw new AnomalyException($"anomaly: the forward of '{op}' produced NaN or Inf; output {Shapes.Format(result.Shape)}, inputs {Describe(inputs)}");
    }

    internal static void CheckBackward(Node node, Tensor?[] grads)
    {
        if (!IsEnabled) return;
        for (int i = 0; i < grads.Length; i++)
            if (grads[i] is { } g && !AllFinite(g))
                throw new AnomalyException($"anomaly: the backward of '{node.Op}' produced NaN or Inf in the gradient of input {i} {Shapes.Format(g.Shape)}; inputs {Describe(node.Inputs)}");
    }

    private static bool AllFinite(Tensor t) => t.ToDoubleArray().All(double.IsFinite);

    private static string Describe(Variable[] inputs) => string.Join(", ", inputs.Select(v => Shapes.Format(v.Shape)));
}

/// <summary>Thrown by <see cref="Anomaly"/> mode at the first non-finite value.</summary>
public sealed class AnomalyException(string message) : Exception(message);
