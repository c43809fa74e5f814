using System.Globalization;
using System.Text;

namespace Scratch;

/// <summary>
/// An n-dimensional array: a view (offset, shape, strides) over a <see cref="Storage"/> on a
/// device. Views share storage, so Reshape of a contiguous tensor, Transpose and row slices copy
/// nothing. Every op checks its operands here — shapes, dtypes, devices — and names itself and the
/// shapes in any error, then hands contiguous buffers to the device's backend.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// The flat buffer this tensor views. Reshapes of a contiguous tensor, transposes, slices and
    /// broadcasts share it, so writing through one view (<see cref="CopyFrom"/>, <see cref="Fill"/>) is
    /// seen by the others.
    /// </summary>
    public Storage Storage { get; }
    /// <summary>The index in <see cref="Storage"/> of the first element, (0, …, 0); non-zero for a slice.</summary>
    public int Offset { get; }
    private readonly int[] _shape;
    private readonly int[] _strides;

    /// <summary>The tensor's dimensions, e.g. (batch, features). Never modified.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>
    /// How many storage elements one step along each axis skips: a contiguous (B, F) tensor has
    /// strides (F, 1), its transpose (1, F), and an axis repeated by <see cref="BroadcastTo"/> stride 0.
    /// </summary>
    public ReadOnlySpan<int> Strides => _strides;

    /// <summary>A copy of <see cref="Shape"/> as a new array, safe to modify (e.g. to build another shape).</summary>
    public int[] ShapeArray => (int[])_shape.Clone();

    /// <summary>The number of dimensions: 0 for a scalar, 1 for a vector, 2 for a matrix, 4 for an NCHW batch.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Numel { get; }

    /// <summary>The element type, float32 or float64; binary ops require both operands to share it.</summary>
    public DType DType => Storage.DType;

    /// <summary>The device that holds the storage and runs this tensor's ops; binary ops require both operands on it.</summary>
    public Device Device => Storage.Device;

    internal IBackend Backend => Backends.For(Device);

    /// <summary>
    /// A view of <paramref name="storage"/> with the given layout, without copying: element
    /// (i₀, …, iₙ) is storage[offset + Σ iₖ·strides[k]]. Nothing checks that the view stays inside the
    /// storage — ops build views this way; user code usually wants <see cref="FromArray(float[], int[])"/>,
    /// <see cref="Reshape"/> or <see cref="Slice"/>.
    /// </summary>
    /// <param name="storage">The buffer to view; it is shared, not copied.</param>
    /// <param name="offset">Index in <paramref name="storage"/> of element (0, …, 0).</param>
    /// <param name="shape">The dimensions; kept (not copied), so the caller must not change the array afterwards.</param>
    /// <param name="strides">Storage elements skipped per step along each axis, one per dimension of <paramref name="shape"/>.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count exceeds int.MaxValue.</exception>
    public Tensor(Storage storage, int offset, int[] shape, int[] strides)
    {
        Storage = storage;
        Offset = offset;
        _shape = shape;
        _strides = strides;
        Numel = Shapes.ElementCount(shape);
    }

    /// <summary>A fresh contiguous tensor over a new storage.</summary>
    internal Tensor(Storage storage, int[] shape) : this(storage, 0, shape, Shapes.ContiguousStrides(shape)) { }

    /// <summary>The size of one dimension; negative counts from the end.</summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is outside [−Rank, Rank).</exception>
    public int Size(int axis) => _shape[Shapes.NormalizeAxis(axis, Rank, "size")];

    /// <summary>True when the elements lie in row-major order with no gaps.</summary>
    public bool IsContiguous
    {
        get
        {
            // No elements: any layout is an empty run. (Without this, a (3, 0) tensor's own strides
            // failed the check below and Contiguous() recursed forever.)
            if (Numel == 0) return true;
            int expected = 1;
            for (int i = Rank - 1; i >= 0; i--)
            {
                if (_shape[i] == 1) continue;
                if (_strides[i] != expected) return false;
                expected *= _shape[i];
            }
            return true;
        }
    }

    /// <summary>The tensor's elements as one contiguous run: itself if contiguous, else a copy.</summary>
    internal Buf Buffer()
    {
        if (IsContiguous) return new Buf(Storage, Offset, Numel);
        return Contiguous().Buffer();
    }

    /// <summary>This tensor if contiguous, otherwise a contiguous copy.</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        var result = Empty(_shape, DType, Device);
        Backend.Gather(Storage, Offset, _shape, _strides, result.Buffer());
        return result;
    }

    /// <summary>A contiguous copy that shares nothing with this tensor.</summary>
    public Tensor Clone()
    {
        var result = Empty(_shape, DType, Device);
        Backend.Gather(Storage, Offset, _shape, _strides, result.Buffer());
        return result;
    }

    /// <summary>The elements in row-major order, copied to a new array (from any device).</summary>
    /// <exception cref="InvalidOperationException">T is not the tensor's element type (float for float32, double for float64).</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"ToArray<{typeof(T).Name}>: the tensor's dtype is {DType.Name()}");
        var result = new T[Numel];
        Backend.ToHost(Buffer(), result.AsSpan());
        return result;
    }

    /// <summary>The elements as doubles, whatever the dtype.</summary>
    public double[] ToDoubleArray() => DType == DType.Float64
        ? ToArray<double>()
        : Array.ConvertAll(ToArray<float>(), v => (double)v);

    /// <summary>The value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor does not have exactly one element.</exception>
    public double Item()
    {
        if (Numel != 1)
            throw new InvalidOperationException($"item: a tensor of shape {Shapes.Format(_shape)} has {Numel} elements, not 1");
        return ToDoubleArray()[0];
    }

    /// <summary>
    /// Shape, dtype and device, with the values when there are at most 16, e.g.
    /// <c>Tensor(2, 2) float32 on cpu [1, 2, 3, 4]</c>. Reads the values back from the device.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder($"Tensor{Shapes.Format(_shape)} {DType.Name()} on {Device.Name}");
        if (Numel <= 16)
        {
            sb.Append(" [");
            sb.AppendJoin(", ", ToDoubleArray().Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
            sb.Append(']');
        }
        return sb.ToString();
    }

    // ---- checks shared by every op ----

    internal static void CheckSameDTypeAndDevice(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: dtypes {a.DType.Name()} and {b.DType.Name()} differ (shapes {Shapes.Format(a._shape)} and {Shapes.Format(b._shape)}); convert one with To(dtype)");
        if (a.Device != b.Device)
            throw new ArgumentException($"{op}: tensors are on different devices, {a.Device.Name} and {b.Device.Name}; move one with To(device)");
    }
}
