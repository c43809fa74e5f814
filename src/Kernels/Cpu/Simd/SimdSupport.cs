namespace Scratch.Kernels.Cpu.Simd;

internal static class SimdSupport
{
    public static NotSupportedException FloatOrDoubleOnly<T>() =>
        new($"CpuKernels: vector exp/log/fma support float and double only, not {typeof(T).Name}.");
}
