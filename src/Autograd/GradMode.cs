namespace Scratch.Autograd;

/// <summary>
/// Whether ops record a graph. Off inside <see cref="NoGrad.Scope"/>. Per thread, and restored by
/// the scope's Dispose — an exception inside a using block cannot leave it switched off.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    internal static void Disable() => _disabledDepth++;

    internal static void Restore() => _disabledDepth--;
}

/// <summary>Inference and parameter updates: <c>using (NoGrad.Scope()) { ... }</c> records nothing.</summary>
public static class NoGrad
{
    public static Scope Scope()
    {
        GradMode.Disable();
        return new Scope();
    }
}

public sealed class Scope : IDisposable
{
    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GradMode.Restore();
    }
}
