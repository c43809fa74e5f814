using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// The elementwise kernels: one thread per output element, implicitly grouped (ILGPU picks
/// the group size). Every static method here is a kernel; the PTX test compiles each one.
/// </summary>
internal static class ElementwiseKernels
{
    // x: (n) → y: (n)
    public static void Unary<TOp>(Index1D i, ArrayView<float> x, ArrayView<float> y)
        where TOp : struct, IGpuUnaryOperator
        => y[i] = TOp.Invoke(x[i]);

    // a: (n), b: (n) → y: (n)
    public static void Binary<TOp>(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y)
        where TOp : struct, IGpuBinaryOperator
        => y[i] = TOp.Invoke(a[i], b[i]);

    // a: (n), s → y: (n)
    public static void BinaryScalar<TOp>(Index1D i, ArrayView<float> a, float s, ArrayView<float> y)
        where TOp : struct, IGpuBinaryOperator
        => y[i] = TOp.Invoke(a[i], s);

    // s, b: (n) → y: (n), for s - b, s / b and friends
    public static void ScalarBinary<TOp>(Index1D i, float s, ArrayView<float> b, ArrayView<float> y)
        where TOp : struct, IGpuBinaryOperator
        => y[i] = TOp.Invoke(s, b[i]);

    // a: (rows, cols), b: (cols) → y: (rows, cols), y[r, c] = a[r, c] op b[c]  (bias add)
    public static void BinaryRowBroadcast<TOp>(Index1D i, ArrayView<float> a, ArrayView<float> b, int cols, ArrayView<float> y)
        where TOp : struct, IGpuBinaryOperator
        => y[i] = TOp.Invoke(a[i], b[i % cols]);

    // a: (rows, cols), b: (rows) → y: (rows, cols), y[r, c] = a[r, c] op b[r]  (e.g. minus the row max)
    public static void BinaryColumnBroadcast<TOp>(Index1D i, ArrayView<float> a, ArrayView<float> b, int cols, ArrayView<float> y)
        where TOp : struct, IGpuBinaryOperator
        => y[i] = TOp.Invoke(a[i], b[i / cols]);

    // Clamp propagates NaN, as torch.clamp does.
    public static void Clamp(Index1D i, ArrayView<float> x, float min, float max, ArrayView<float> y)
    {
        float v = x[i];
        y[i] = float.IsNaN(v) ? v : GpuMath.Min(GpuMath.Max(v, min), max);
    }
}
