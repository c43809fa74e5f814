using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>An associative combine with its identity: what a reduction kernel folds with.</summary>
internal interface IGpuReduction
{
    static abstract float Identity { get; }
    static abstract float Combine(float a, float b);
}

internal struct SumReduction : IGpuReduction
{
    public static float Identity => 0.0f;
    public static float Combine(float a, float b) => a + b;
}

/// <summary>Max that returns NaN if either side is NaN, as <see cref="Cpu.Reference.Max{T}"/> does.</summary>
internal struct MaxReduction : IGpuReduction
{
    public static float Identity => float.NegativeInfinity;
    public static float Combine(float a, float b) => GpuMath.Max(a, b);
}

/// <summary>
/// The in-group step of every reduction: a tree over shared memory. Each level halves the
/// active threads (s = DimX/2, DimX/4, …, 1), with a barrier between levels so a thread reads
/// its partner's value only once it is written. The tree's shape depends only on the group
/// size, so the same input always sums in the same order: bitwise reproducible, no atomics.
/// </summary>
internal static class GroupTree
{
    /// <summary>Every thread of the group calls this; every thread gets the group's total.</summary>
    /// <param name="value">This thread's partial, folded with TOp.</param>
    /// <param name="shared">At least Group.DimX floats of shared memory; Group.DimX is a power of two.</param>
    public static float Reduce<TOp>(float value, ArrayView<float> shared) where TOp : struct, IGpuReduction
    {
        int t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s) shared[t] = TOp.Combine(shared[t], shared[t + s]);
            Group.Barrier();
        }
        return shared[0];
    }
}
