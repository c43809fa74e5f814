namespace Scratch;

/// <summary>
/// Reuses tensor buffers across training steps. Inside <see cref="Scope"/>, every CPU storage comes
/// from a pool keyed by (dtype, length) and goes back to it when the scope ends — a steady-state
/// training step then allocates no tensor buffers at all (and no large-object-heap arrays, whose
/// collections are Gen2). A step's graph, activations and intermediate gradients all die with the
/// step; what must outlive it (leaf gradients, optimizer state) is allocated under
/// <see cref="Persistent"/>. A tensor used after its scope ended fails loudly instead of reading a
/// buffer that now belongs to someone else.
/// </summary>
public static class TensorPool
{
    [ThreadStatic] private static List<PooledStorage>? _open;
    [ThreadStatic] private static int _persistentDepth;
    // Storages of other devices (GPU buffers) taken in this scope; each returns to its own device's free list.
    [ThreadStatic] private static List<IScopedStorage>? _openOnDevices;
    private static readonly Dictionary<(DType, int), Stack<Array>> Free = new();
    private static readonly Lock Gate = new();

    /// <summary>True when new CPU storages on this thread come from the pool.</summary>
    public static bool IsActive => _open != null && _persistentDepth == 0;

    /// <summary>Opens a pooling scope on this thread (one at a time): <c>using (TensorPool.Scope()) { step }</c>.</summary>
    /// <exception cref="InvalidOperationException">A scope is already open on this thread.</exception>
    public static ScopeHandle Scope()
    {
        if (_open != null) throw new InvalidOperationException("tensor pool: a scope is already open on this thread");
        _open = [];
        _openOnDevices = [];
        return new ScopeHandle();
    }

    /// <summary>Allocations inside are ordinary (garbage-collected), even within a scope.</summary>
    public static PersistentHandle Persistent()
    {
        _persistentDepth++;
        return new PersistentHandle();
    }

    internal static Storage Allocate<T>(int length, bool zeroed) where T : unmanaged
    {
        if (!IsActive) return new CpuStorage<T>(new T[length]);
        T[]? array = null;
        lock (Gate)
            if (Free.TryGetValue((DTypeExtensions.Of<T>(), length), out var stack) && stack.Count > 0)
                array = (T[])stack.Pop();
        if (array != null && zeroed) Array.Clear(array);
        var storage = new PooledStorage<T>(array ?? new T[length]);
        _open!.Add(storage);
        return storage;
    }

    /// <summary>A storage of another device that gives its buffer back when the scope that made it ends.</summary>
    internal interface IScopedStorage
    {
        void ReturnToPool();
    }

    /// <summary>Registers a device storage made inside an active scope; false (and nothing done) outside one.</summary>
    internal static bool TryTrack(IScopedStorage storage)
    {
        if (!IsActive) return false;
        _openOnDevices!.Add(storage);
        return true;
    }

    /// <summary>Raised by <see cref="Clear"/> so device backends can free their own free lists.</summary>
    internal static event Action? Clearing;

    private static void CloseScope()
    {
        var open = _open!;
        _open = null;
        var onDevices = _openOnDevices!;
        _openOnDevices = null;
        foreach (var storage in onDevices) storage.ReturnToPool();
        lock (Gate)
            foreach (var storage in open)
            {
                var key = (storage.DType, storage.Length);
                if (!Free.TryGetValue(key, out var stack)) Free[key] = stack = new Stack<Array>();
                stack.Push(storage.Release());
            }
    }

    /// <summary>Drops every pooled buffer (e.g. after training, to give the memory back).</summary>
    public static void Clear()
    {
        lock (Gate) Free.Clear();
        Clearing?.Invoke();
    }

    /// <summary>The open <see cref="TensorPool.Scope"/>; disposing it returns every buffer made inside to the pool.</summary>
    public sealed class ScopeHandle : IDisposable
    {
        private bool _disposed;

        /// <summary>Ends the scope: its tensors' buffers go back to the pool and those tensors can no longer be read. Idempotent.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            CloseScope();
        }
    }

    /// <summary>An open <see cref="TensorPool.Persistent"/> region; disposing it resumes pooling.</summary>
    public sealed class PersistentHandle : IDisposable
    {
        private bool _disposed;

        /// <summary>Ends the persistent region; allocations are pooled again if a scope is still open. Idempotent.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _persistentDepth--;
        }
    }
}

/// <summary>A CPU storage on loan from the <see cref="TensorPool"/>.</summary>
internal abstract class PooledStorage(DType dtype, int length) : Storage(Device.Cpu, dtype, length)
{
    public abstract Array Release();
}

internal sealed class PooledStorage<T>(T[] data) : PooledStorage(DTypeExtensions.Of<T>(), data.Length) where T : unmanaged
{
    private T[]? _data = data;

    public T[] Data => _data ?? throw new InvalidOperationException(
        "tensor pool: this tensor's buffer went back to the pool when its TensorPool.Scope ended; copy values out (ToArray, Item, Clone under TensorPool.Persistent) before the scope closes");

    public override Array Release()
    {
        var data = Data;
        _data = null;
        return data;
    }
}
