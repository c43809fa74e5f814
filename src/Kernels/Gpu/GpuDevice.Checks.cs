using ILGPU;

namespace Scratch.Kernels.Gpu;

// Argument checks, done once on the host before a launch: a shape mistake above surfaces as
// an ArgumentException naming the op and the operand, never as a fault inside a kernel.
public sealed partial class GpuDevice
{
    private static void CheckSameLength(string op, long expected, long actual, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"GpuDevice.{op}: {what} has length {actual}, expected {expected}.");
        CheckIndexable(op, actual, what);
    }

    // GPU kernels index with int: a longer view would silently wrap.
    private static void CheckIndexable(string op, long length, string what)
    {
        if (length > int.MaxValue)
            throw new ArgumentException($"GpuDevice.{op}: {what} has length {length}; GPU kernels index with int.");
    }

    private static void CheckAtLeast(string op, long needed, long actual, string what)
    {
        if (actual < needed)
            throw new ArgumentException($"GpuDevice.{op}: {what} has length {actual}, needs at least {needed}.");
    }

    // x: (rows, cols), stored densely.
    private static void CheckMatrix(string op, ArrayView<float> x, int rows, int cols, string what)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentException($"GpuDevice.{op}: shape ({rows}, {cols}) has a negative dimension.");
        CheckSameLength(op, (long)rows * cols, x.Length, $"{what} ({rows}, {cols})");
    }
}
