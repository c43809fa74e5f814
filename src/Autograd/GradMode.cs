namespace Scratch.Autograd;

/// <summary>
/// Whether ops record a graph. Off inside <see cref="NoGrad.Scope"/>. Per thread, and restored by
/// the scope's Dispose — an exception inside a using block cannot leave it switched off.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when ops on this thread record a graph: outside every <see cref="NoGrad.Scope"/> and outside a backward pass.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    internal static void Disable() => _disabledDepth++;

    internal static void Restore() => _disabledDepth--;
}

/// <summary>Inference and parameter updates: <c>using (NoGrad.Scope()) { ... }</c> records nothing.</summary>
public static class NoGrad
{
    /// <summary>
    /// Turns graph recording off on this thread until the returned handle is disposed: ops still
    /// compute, but record nothing and their results need no gradient. Scopes nest.
    /// </summary>
    /// <returns>The handle whose Dispose turns recording back on (once, however often it is called).</returns>
    public static IDisposable Scope()
    {
        GradMode.Disable();
        return new ScopeHandle(GradMode.Restore);
    }
}

/// <summary>Undoes a scoped switch exactly once, however often it is disposed.</summary>
internal sealed class ScopeHandle(Action undo) : IDisposable
{
    private Action? _undo = undo;

    public void Dispose()
    {
        _undo?.Invoke();
        _undo = null;
    }
}
