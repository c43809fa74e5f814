using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>Shape and strides of a view of rank ≤ 4, padded in front with size-1 dimensions.</summary>
internal struct StridedLayout
{
    public int Size0, Size1, Size2, Size3;
    public long Stride0, Stride1, Stride2, Stride3;
}

/// <summary>
/// Kernels that move data without computing on it: fill, and the strided gather that turns
/// any view (transposed, sliced, broadcast with stride 0) into a dense array.
/// Every static method here is a kernel; the PTX test compiles each one.
/// </summary>
internal static class LayoutKernels
{
    public static void Fill(Index1D i, ArrayView<float> y, float value) => y[i] = value;

    // x viewed through layout (sizes s0..s3, strides in elements) → y: dense (s0, s1, s2, s3).
    // One thread per output element: it splits its flat index into 4 coordinates (last fastest)
    // and reads x at Σ coordinate·stride. Writes are coalesced; reads are as local as the view is.
    public static void StridedCopy(Index1D i, ArrayView<float> x, StridedLayout layout, ArrayView<float> y)
    {
        int rest = i;
        int c3 = rest % layout.Size3; rest /= layout.Size3;
        int c2 = rest % layout.Size2; rest /= layout.Size2;
        int c1 = rest % layout.Size1; rest /= layout.Size1;
        int c0 = rest;
        y[i] = x[c0 * layout.Stride0 + c1 * layout.Stride1 + c2 * layout.Stride2 + c3 * layout.Stride3];
    }

    // a: (rows, cols), bias: (cols) → y: (rows, cols), y = f(a + bias): a dense layer's bias and
    // activation in one pass over the GEMM output instead of two.
    public static void BiasActivation<TActivation>(Index1D i, ArrayView<float> a, ArrayView<float> bias, int cols, ArrayView<float> y)
        where TActivation : struct, IGpuUnaryOperator
        => y[i] = TActivation.Invoke(a[i] + bias[i % cols]);
}
