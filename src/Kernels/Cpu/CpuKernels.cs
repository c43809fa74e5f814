using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The fast CPU kernels: the entry points the Tensor layer calls. Each has the same contract
/// as its twin in <see cref="Reference"/> and is tested equal to it. Lengths are checked here,
/// once, so a mistake above surfaces as a clear ArgumentException, never as an index error
/// deep inside a SIMD loop.
/// </summary>
public static partial class CpuKernels
{
    internal static void CheckSameLength(string op, int expected, int actual, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{op}: {what} has length {actual}, expected {expected}.");
    }

    internal static void CheckAtLeast(string op, long needed, int actual, string what)
    {
        if (actual < needed)
            throw new ArgumentException($"{op}: {what} has length {actual}, needs at least {needed}.");
    }
}
