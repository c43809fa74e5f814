namespace Scratch;

// Making tensors: filled, from arrays, ranges, and moving between devices and dtypes.
public sealed partial class Tensor
{
    /// <summary>
    /// A new tensor whose elements are whatever its (possibly reused) buffer held: for ops whose
    /// kernel writes every element, so no time goes into zeroing memory about to be overwritten.
    /// </summary>
    internal static Tensor Empty(int[] shape, DType dtype, Device device)
    {
        int n = Shapes.ElementCount(shape, "tensor");
        return new Tensor(Backends.For(device).AllocateUninitialized(dtype, n), (int[])shape.Clone());
    }

    /// <summary>A new contiguous tensor of <paramref name="shape"/> filled with 0, on <paramref name="device"/> (the CPU when null).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count exceeds int.MaxValue.</exception>
    /// <exception cref="InvalidOperationException">The device's backend cannot be created (e.g. no CUDA driver).</exception>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, Device? device = null)
    {
        int n = Shapes.ElementCount(shape, "zeros");
        return new Tensor(Backends.For(device ?? Device.Cpu).Allocate(dtype, n), (int[])shape.Clone());
    }

    /// <summary>A new contiguous tensor of <paramref name="shape"/> filled with 1, on <paramref name="device"/> (the CPU when null).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count exceeds int.MaxValue.</exception>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Full(shape, 1.0, dtype, device);

    /// <summary>A new contiguous tensor of <paramref name="shape"/> with every element <paramref name="value"/> (rounded to the dtype).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count exceeds int.MaxValue.</exception>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        if (value == 0) return Zeros(shape, dtype, device);
        var t = Empty(shape, dtype, device ?? Device.Cpu);
        t.Backend.Fill(t.Buffer(), value);
        return t;
    }

    /// <summary>Zeros with <paramref name="t"/>'s shape, dtype and device (a new contiguous tensor, whatever t's layout).</summary>
    public static Tensor ZerosLike(Tensor t) => Zeros(t._shape, t.DType, t.Device);

    /// <summary>Ones with <paramref name="t"/>'s shape, dtype and device: e.g. the output gradient dy = 1 of a scalar loss.</summary>
    public static Tensor OnesLike(Tensor t) => Full(t._shape, 1.0, t.DType, t.Device);

    /// <summary><paramref name="value"/> everywhere, with <paramref name="t"/>'s shape, dtype and device.</summary>
    public static Tensor FullLike(Tensor t, double value) => Full(t._shape, value, t.DType, t.Device);

    /// <summary>A 0-dimensional tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) =>
        Full([], value, dtype, device);

    /// <summary>0, 1, …, n−1 as a 1-D tensor.</summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is negative.</exception>
    public static Tensor Arange(int n, DType dtype = DType.Float32, Device? device = null)
    {
        if (n < 0) throw new ArgumentException($"arange: length {n} is negative");
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = i;
        return FromArray(values, [n]).To(dtype).To(device ?? Device.Cpu);
    }

    /// <summary>A float32 tensor holding a copy of <paramref name="data"/> in row-major order.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/>'s length is not the element count of <paramref name="shape"/>, or a dimension is negative.</exception>
    public static Tensor FromArray(float[] data, params int[] shape) => FromSpan<float>(data, shape);

    /// <summary>A float64 tensor holding a copy of <paramref name="data"/> in row-major order.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/>'s length is not the element count of <paramref name="shape"/>, or a dimension is negative.</exception>
    public static Tensor FromArray(double[] data, params int[] shape) => FromSpan<double>(data, shape);

    private static Tensor FromSpan<T>(ReadOnlySpan<T> data, int[] shape) where T : unmanaged
    {
        int n = Shapes.ElementCount(shape, "from array");
        if (n != data.Length)
            throw new ArgumentException($"from array: {data.Length} values cannot fill shape {Shapes.Format(shape)} ({n} elements)");
        return new Tensor(CpuBackend.Instance.FromHost(data), (int[])shape.Clone());
    }

    /// <summary>This tensor on another device (itself if already there).</summary>
    /// <exception cref="NotSupportedException">The target is a GPU device and this tensor is float64.</exception>
    /// <exception cref="InvalidOperationException">The target device's backend cannot be created (e.g. no CUDA driver).</exception>
    public Tensor To(Device device)
    {
        if (device == Device) return this;
        var target = Backends.For(device);
        var contiguous = Contiguous();
        Storage storage = DType == DType.Float32
            ? target.FromHost<float>(contiguous.ToArray<float>())
            : target.FromHost<double>(contiguous.ToArray<double>());
        return new Tensor(storage, ShapeArray);
    }

    /// <summary>This tensor converted to another dtype (itself if already that dtype).</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var host = dtype == DType.Float64
            ? FromArray(Array.ConvertAll(ToArray<float>(), v => (double)v), ShapeArray)
            : FromArray(Array.ConvertAll(ToArray<double>(), v => (float)v), ShapeArray);
        return host.To(Device);
    }
}
