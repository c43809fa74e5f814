namespace Scratch;

/// <summary>
/// A flat buffer of elements on one device. Tensors are views over a storage (offset, shape,
/// strides), so reshapes, transposes and row slices share it without copying.
/// </summary>
public abstract class Storage(Device device, DType dtype, int length)
{
    /// <summary>The device whose memory holds the elements.</summary>
    public Device Device { get; } = device;
    /// <summary>The type of every element.</summary>
    public DType DType { get; } = dtype;
    /// <summary>The number of elements (not bytes); views may cover only part of them.</summary>
    public int Length { get; } = length;
}

/// <summary>CPU storage: a managed array.</summary>
public sealed class CpuStorage<T>(T[] data) : Storage(Device.Cpu, DTypeExtensions.Of<T>(), data.Length)
    where T : unmanaged
{
    /// <summary>The managed array holding the elements; tensors viewing this storage read and write it directly.</summary>
    public T[] Data { get; } = data;
}

/// <summary>
/// A contiguous run of a storage: what a kernel reads or writes. The Tensor layer makes operands
/// contiguous before calling a backend, so backends never deal with strides except in
/// <see cref="IBackend.Gather"/>.
/// </summary>
public readonly record struct Buf(Storage Storage, int Offset, int Length);
