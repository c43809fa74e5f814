using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// A float32 array that lives in a device's memory: the storage of a GPU tensor.
/// Kernels take <see cref="ArrayView{T}"/>s, so a tensor with an offset passes
/// <c>buffer.Slice(offset, length)</c>; nothing is copied.
/// Copies to and from the host are ordered on the device's stream, after every kernel
/// enqueued before them, so reading back never sees a half-finished result.
/// </summary>
public sealed class GpuBuffer : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _memory;

    internal GpuBuffer(GpuDevice device, MemoryBuffer1D<float, Stride1D.Dense> memory)
    {
        Device = device;
        _memory = memory;
    }

    /// <summary>The device whose memory holds this buffer.</summary>
    public GpuDevice Device { get; }

    /// <summary>Number of floats.</summary>
    public long Length => _memory.Length;

    /// <summary>The whole buffer as a view, for kernel arguments.</summary>
    public ArrayView<float> View => _memory.View;

    /// <summary>Elements [offset, offset + length) as a view.</summary>
    public ArrayView<float> Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"GpuBuffer.Slice: [{offset}, {offset + length}) is outside a buffer of length {Length}.");
        return length == 0 ? default : View.SubView(offset, length);
    }

    /// <summary>Host → device: source goes to elements [offset, offset + source.Length).</summary>
    public void CopyFromHost(ReadOnlySpan<float> source, long offset = 0)
    {
        if (offset < 0 || offset + source.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"GpuBuffer.CopyFromHost: {source.Length} elements at offset {offset} do not fit a buffer of length {Length}.");
        if (source.Length == 0) return;
        View.SubView(offset, source.Length).CopyFromCPU(Device.Accelerator.DefaultStream, source);
    }

    /// <summary>
    /// Device → host: elements [offset, offset + destination.Length) into destination.
    /// Waits for every kernel enqueued before it, then for the copy itself.
    /// </summary>
    public void CopyToHost(Span<float> destination, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"GpuBuffer.CopyToHost: {destination.Length} elements at offset {offset} do not fit a buffer of length {Length}.");
        if (destination.Length == 0) return;
        var stream = Device.Accelerator.DefaultStream;
        View.SubView(offset, destination.Length).CopyToCPU(stream, destination);
        stream.Synchronize();
    }

    /// <summary>The whole buffer copied to a new host array, after every kernel enqueued before it.</summary>
    public float[] ToArray()
    {
        var host = new float[Length];
        CopyToHost(host);
        return host;
    }

    /// <summary>Sets every element to zero, on the device's stream.</summary>
    public void Clear()
    {
        if (Length > 0) _memory.MemSetToZero(Device.Accelerator.DefaultStream);
    }

    /// <summary>Frees the device memory; views of this buffer are invalid afterwards.</summary>
    public void Dispose() => _memory.Dispose();
}
