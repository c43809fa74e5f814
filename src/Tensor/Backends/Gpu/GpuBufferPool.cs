using Scratch.Kernels.Gpu;

namespace Scratch;

/// <summary>
/// Device buffers kept for reuse, keyed by length: the GPU side of <see cref="TensorPool"/>.
/// A training step's activations and gradients have the same lengths every step, so after the
/// first step every allocation inside a scope is served from here and device memory stays flat.
/// Allocating device memory is slow (a driver call, sometimes a synchronization); a free list is
/// a dictionary look-up.
/// </summary>
internal sealed class GpuBufferPool(GpuDevice device)
{
    /// <summary>Unscoped allocations between two sweeps for buffers whose tensors were collected.</summary>
    private const int SweepEvery = 256;

    private readonly Dictionary<int, Stack<GpuBuffer>> _free = new();
    private readonly List<(WeakReference<GpuStorage> Owner, GpuBuffer Buffer)> _owned = [];
    private int _sinceSweep;
    private readonly Lock _gate = new();

    /// <summary>A buffer of exactly <paramref name="length"/> elements: reused if one is free, else new.</summary>
    public GpuBuffer Rent(int length)
    {
        lock (_gate)
            if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
                return stack.Pop();
        return device.Allocate(length);
    }

    public void Return(GpuBuffer buffer)
    {
        lock (_gate)
        {
            int length = (int)buffer.Length;
            if (!_free.TryGetValue(length, out var stack)) _free[length] = stack = new Stack<GpuBuffer>();
            stack.Push(buffer);
        }
    }

    /// <summary>
    /// Watches a buffer that belongs to a tensor made outside any scope (parameters, evaluation, a
    /// user's own code). Once the garbage collector has dropped the tensor, a later sweep takes the
    /// buffer back here on this thread. Leaving it to ILGPU's finalizer instead would free CUDA memory
    /// from the finalizer thread, where no CUDA context is current, and the GC does not see device
    /// memory filling up anyway. Safe to reuse at once: every later use of the buffer is enqueued on
    /// the same in-order stream after every kernel that read it.
    /// </summary>
    public void Adopt(GpuStorage owner, GpuBuffer buffer)
    {
        lock (_gate)
        {
            _owned.Add((new WeakReference<GpuStorage>(owner), buffer));
            if (++_sinceSweep < SweepEvery) return;
            _sinceSweep = 0;
            SweepLocked();
        }
    }

    /// <summary>Takes back the buffers of collected unscoped tensors now; returns how many.</summary>
    public int Sweep()
    {
        lock (_gate) return SweepLocked();
    }

    private int SweepLocked()
    {
        int reclaimed = 0;
        _owned.RemoveAll(entry =>
        {
            if (entry.Owner.TryGetTarget(out _)) return false;
            int length = (int)entry.Buffer.Length;
            if (!_free.TryGetValue(length, out var stack)) _free[length] = stack = new Stack<GpuBuffer>();
            stack.Push(entry.Buffer);
            reclaimed++;
            return true;
        });
        return reclaimed;
    }

    /// <summary>Buffers waiting for reuse (for tests and diagnostics).</summary>
    public int FreeCount
    {
        get { lock (_gate) return _free.Values.Sum(s => s.Count); }
    }

    /// <summary>Frees every buffer waiting for reuse. Buffers still held by tensors are untouched.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var stack in _free.Values)
                while (stack.Count > 0) stack.Pop().Dispose();
            _free.Clear();
        }
    }
}
