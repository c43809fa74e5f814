using Scratch.Kernels.Gpu;

namespace Scratch;

/// <summary>
/// A float32 storage in a GPU device's memory (or ILGPU's simulated one). Inside a
/// <see cref="TensorPool.Scope"/> its buffer is on loan: at scope end it goes back to the device's
/// free list and this storage fails loudly if used again, exactly like a pooled CPU storage.
/// </summary>
public sealed class GpuStorage : Storage, TensorPool.IScopedStorage
{
    private readonly GpuBufferPool _pool;
    private GpuBuffer? _buffer;

    internal GpuStorage(Device device, GpuBuffer buffer, int length, GpuBufferPool pool)
        : base(device, DType.Float32, length)
    {
        _buffer = buffer;
        _pool = pool;
    }

    /// <summary>The device buffer; its first <see cref="Storage.Length"/> elements are this storage.</summary>
    public GpuBuffer Buffer => _buffer ?? throw new InvalidOperationException(
        $"{Device.Name}: this tensor's buffer went back to the pool when its TensorPool.Scope ended; copy values out (ToArray, Item, Clone under TensorPool.Persistent) before the scope closes");

    void TensorPool.IScopedStorage.ReturnToPool()
    {
        var buffer = Buffer;
        _buffer = null;
        _pool.Return(buffer);
    }
}
