using Scratch.Kernels;

namespace Scratch;

// In-place updates, for the few places that own a buffer outright: gradient accumulation and
// optimizer state. Everything else in the engine is functional (a new tensor per op).
public sealed partial class Tensor
{
    /// <summary>this += other (same shape; this must be contiguous).</summary>
    /// <exception cref="ArgumentException">The shapes, dtypes or devices differ (no broadcasting).</exception>
    /// <exception cref="InvalidOperationException">This tensor is a non-contiguous view.</exception>
    public void AddInPlace(Tensor other)
    {
        CheckInPlace("add in place", other);
        var self = Buffer();
        Backend.Binary(BinaryOp.Add, self, other.Buffer(), self);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <exception cref="InvalidOperationException">This tensor is a non-contiguous view.</exception>
    public void Fill(double value)
    {
        if (!IsContiguous) throw new InvalidOperationException($"fill: the tensor of shape {Shapes.Format(_shape)} is a non-contiguous view");
        Backend.Fill(Buffer(), value);
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor as a writable span — for filling a tensor from
    /// host data without an intermediate array (a batch of images, say).
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is not on the CPU, not contiguous, or T is not its element type.</exception>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (Device != Device.Cpu || !IsContiguous || DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"as span: needs a contiguous {DTypeExtensions.Of<T>().Name()} tensor on the cpu, got {Shapes.Format(_shape)} {DType.Name()} on {Device.Name}{(IsContiguous ? "" : ", non-contiguous")}");
        return CpuBackend.Span<T>(Buffer());
    }

    private void CheckInPlace(string op, Tensor other)
    {
        CheckSameDTypeAndDevice(op, this, other);
        if (!Shapes.SameShape(_shape, other._shape))
            throw new ArgumentException($"{op}: shapes {Shapes.Format(_shape)} and {Shapes.Format(other._shape)} differ");
        if (!IsContiguous) throw new InvalidOperationException($"{op}: the target of shape {Shapes.Format(_shape)} is a non-contiguous view");
    }
}
