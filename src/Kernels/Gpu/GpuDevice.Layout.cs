using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

using View = ArrayView<float>;

// Data movement for the tensor layer: fill, device-to-device copy, making a strided view
// dense, and the fused bias + activation of a dense layer.
public sealed partial class GpuDevice
{
    private Action<Index1D, View, float>? _fill;
    private Action<Index1D, View, PhiloxKey>? _fillNormal;
    private Action<Index1D, ArrayView<uint>, PhiloxKey>? _fillWords;
    private Action<Index1D, View, StridedLayout, View>? _stridedCopy;
    private readonly Dictionary<UnaryOp, Action<Index1D, View, View, int, View>> _biasActivationKernels = new();

    /// <summary>y[i] = value for every element of y, on the device's stream. Throws <see cref="ArgumentException"/> if y is longer than int.MaxValue.</summary>
    public void Fill(View y, float value)
    {
        CheckIndexable("Fill", y.Length, "y");
        if (y.Length == 0) return;
        _fill ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, float>(LayoutKernels.Fill);
        _fill(y.IntExtent, y, value);
    }

    /// <summary>y[i] = element i of the standard-normal stream (key, stream): the CPU's Philox fill, on the device.</summary>
    public void FillNormal(View y, ulong key, ulong stream)
    {
        CheckIndexable("FillNormal", y.Length, "y");
        if (y.Length == 0) return;
        long blocks = (y.Length + Cpu.Random.Philox.FloatGroup - 1) / Cpu.Random.Philox.FloatGroup * Cpu.Random.Philox.Lanes;
        _fillNormal ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, PhiloxKey>(RandomKernels.FillNormal);
        _fillNormal((int)blocks, y, new PhiloxKey(key, stream));
    }

    /// <summary>y[i] = 32-bit word i of Philox stream (key, stream); y.Length a multiple of 4.</summary>
    public void FillPhiloxWords(ArrayView<uint> y, ulong key, ulong stream)
    {
        if (y.Length % 4 != 0) throw new ArgumentException($"GpuDevice.FillPhiloxWords: y has length {y.Length}, not a multiple of 4.");
        if (y.Length == 0) return;
        _fillWords ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<uint>, PhiloxKey>(RandomKernels.FillWords);
        _fillWords((int)(y.Length / 4), y, new PhiloxKey(key, stream));
    }

    /// <summary>x: (n) → y: (n), a device-to-device copy on the stream. Throws <see cref="ArgumentException"/> if the lengths differ.</summary>
    public void Copy(View x, View y)
    {
        CheckSameLength("Copy", x.Length, y.Length, "y");
        if (x.Length == 0) return;
        x.CopyTo(Accelerator.DefaultStream, y);
    }

    /// <summary>
    /// y (dense, row-major) = the elements of x seen through <paramref name="sizes"/> and
    /// <paramref name="strides"/> (in elements, rank ≤ 4, stride 0 allowed for broadcast).
    /// x starts at the view's first element: pass buffer.Slice(offset, …) for an offset.
    /// </summary>
    public void StridedCopy(View x, ReadOnlySpan<int> sizes, ReadOnlySpan<long> strides, View y)
    {
        if (sizes.Length != strides.Length || sizes.Length > 4)
            throw new ArgumentException($"GpuDevice.StridedCopy: {sizes.Length} sizes and {strides.Length} strides; need equal counts, at most 4.");
        long count = 1, lastRead = 0;
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] < 0 || strides[d] < 0)
                throw new ArgumentException($"GpuDevice.StridedCopy: dimension {d} has size {sizes[d]} and stride {strides[d]}; both must be ≥ 0.");
            count *= sizes[d];
            lastRead += (long)Math.Max(sizes[d] - 1, 0) * strides[d];
        }
        CheckSameLength("StridedCopy", count, y.Length, "y");
        if (count == 0) return;
        CheckAtLeast("StridedCopy", lastRead + 1, x.Length, "x");

        // Pad in front to rank 4 with (size 1, stride 0).
        Span<int> s = [1, 1, 1, 1];
        Span<long> t = [0, 0, 0, 0];
        sizes.CopyTo(s[(4 - sizes.Length)..]);
        strides.CopyTo(t[(4 - strides.Length)..]);
        var layout = new StridedLayout
        {
            Size0 = s[0], Size1 = s[1], Size2 = s[2], Size3 = s[3],
            Stride0 = t[0], Stride1 = t[1], Stride2 = t[2], Stride3 = t[3],
        };
        _stridedCopy ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, StridedLayout, View>(LayoutKernels.StridedCopy);
        _stridedCopy(y.IntExtent, x, layout, y);
    }

    /// <summary>
    /// a: (rows, cols), bias: (cols) → y: (rows, cols), y[r, c] = activation(a[r, c] + bias[c]): a dense
    /// layer's epilogue in one pass; y may be a. Throws <see cref="ArgumentException"/> if a is not rows·cols
    /// long, bias not cols or y not a's length, <see cref="ArgumentOutOfRangeException"/> for an unknown op.
    /// </summary>
    public void BiasActivation(UnaryOp activation, View a, View bias, int rows, int cols, View y)
    {
        CheckMatrix("BiasActivation", a, rows, cols, "a");
        CheckSameLength("BiasActivation", cols, bias.Length, "bias");
        CheckSameLength("BiasActivation", a.Length, y.Length, "y");
        if (a.Length == 0) return;
        if (!_biasActivationKernels.TryGetValue(activation, out var kernel))
            _biasActivationKernels[activation] = kernel = OperatorDispatch.Unary(activation, new LoadBiasActivation(Accelerator));
        kernel(a.IntExtent, a, bias, cols, y);
    }

    private sealed class LoadBiasActivation(Accelerator accelerator) : IUnaryOperatorVisitor<Action<Index1D, View, View, int, View>>
    {
        public Action<Index1D, View, View, int, View> Visit<TOp>() where TOp : struct, IGpuUnaryOperator =>
            accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, int, View>(LayoutKernels.BiasActivation<TOp>);
    }
}
