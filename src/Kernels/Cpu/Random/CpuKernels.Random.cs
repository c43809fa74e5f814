using System.Numerics;
using Scratch.Kernels.Cpu.Random;

namespace Scratch.Kernels.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// values[i] = element i of the standard-normal stream (key, stream): Philox4x32-10 and Box–Muller,
    /// vectorized and split over threads, with the same bits for any thread count or vector width.
    /// </summary>
    public static void FillNormal<T>(Span<T> values, ulong key, ulong stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) NormalFill.Float(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values), key, stream);
        else if (typeof(T) == typeof(double)) NormalFill.Double(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(values), key, stream);
        else throw new NotSupportedException($"fill_normal: float and double only, not {typeof(T).Name}.");
    }
}
