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
    private readonly Dictionary<int, Stack<GpuBuffer>> _free = new();
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
