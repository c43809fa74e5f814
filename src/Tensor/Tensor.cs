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
    public Storage Storage { get; }
    public int Offset { get; }
    private readonly int[] _shape;
    private readonly int[] _strides;

    /// <summary>The tensor's dimensions, e.g. (batch, features). Never modified.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    public ReadOnlySpan<int> Strides => _strides;

    public int[] ShapeArray => (int[])_shape.Clone();

    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Numel { get; }

    public DType DType => Storage.DType;

    public Device Device => Storage.Device;

    internal IBackend Backend => Backends.For(Device);

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
    public double Item()
    {
        if (Numel != 1)
            throw new InvalidOperationException($"item: a tensor of shape {Shapes.Format(_shape)} has {Numel} elements, not 1");
        return ToDoubleArray()[0];
    }

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
