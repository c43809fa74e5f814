using static TorchSharp.torch;

namespace Scratch.TorchReference;

/// <summary>Builds a float64 tensor whose every element is a closed-form function of its indices,
/// so a test can rebuild the same input without reading the golden file.</summary>
internal static class Formula
{
    // (rows, cols) with value f(i, j), row-major.
    public static Tensor Matrix(int rows, int cols, Func<int, int, double> f)
    {
        var data = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                data[i * cols + j] = f(i, j);
        return tensor(data, [rows, cols], ScalarType.Float64);
    }

    // (length) with value f(k).
    public static Tensor Vector(int length, Func<int, double> f) =>
        tensor(Enumerable.Range(0, length).Select(f).ToArray(), [length], ScalarType.Float64);

    // Any shape with value f(k) for the flat row-major index k.
    public static Tensor Flat(long[] shape, Func<int, double> f)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return tensor(Enumerable.Range(0, (int)n).Select(f).ToArray(), shape, ScalarType.Float64);
    }
}
