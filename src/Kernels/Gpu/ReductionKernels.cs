using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// Reduction kernels. Every static method here is a kernel; the PTX test compiles each one.
/// ReduceAll and ReduceRows are explicitly grouped (they need shared memory and barriers),
/// with a power-of-two group size of at most <see cref="MaxGroupSize"/>.
/// </summary>
internal static class ReductionKernels
{
    public const int MaxGroupSize = 256;

    // Pass 1 of a full reduction, x: (n) → partials: (Grid.DimX). Thread t folds x[t],
    // x[t + stride], … in order, then the group folds its threads with the tree. A second
    // launch with one group folds the partials. Grid size depends only on n, so the order
    // of additions, and the result, are the same on every run.
    public static void ReduceAll<TOp>(ArrayView<float> x, ArrayView<float> partials)
        where TOp : struct, IGpuReduction
    {
        var shared = SharedMemory.Allocate<float>(MaxGroupSize);
        float acc = TOp.Identity;
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < x.IntLength; i += stride)
            acc = TOp.Combine(acc, x[i]);
        float total = GroupTree.Reduce<TOp>(acc, shared);
        if (Group.IsFirstThread) partials[Grid.IdxX] = total;
    }

    // x: (rows, cols) → y: (rows); one group per row, threads stride along the row
    // (neighbouring threads read neighbouring floats: coalesced).
    public static void ReduceRows<TOp>(ArrayView<float> x, int cols, ArrayView<float> y)
        where TOp : struct, IGpuReduction
    {
        var shared = SharedMemory.Allocate<float>(MaxGroupSize);
        int row = Grid.IdxX;
        long rowStart = (long)row * cols;
        float acc = TOp.Identity;
        for (int c = Group.IdxX; c < cols; c += Group.DimX)
            acc = TOp.Combine(acc, x[rowStart + c]);
        float total = GroupTree.Reduce<TOp>(acc, shared);
        if (Group.IsFirstThread) y[row] = total;
    }

    // x: (rows, cols) → y: (cols), y[c] = Σ_r x[r, c]: the bias gradient of a dense layer.
    // One thread per column walks down its column; at step r the threads of a warp read
    // x[r, c..c+31], one contiguous segment, so loads stay coalesced without shared memory.
    public static void ColumnSums(Index1D c, ArrayView<float> x, int rows, int cols, ArrayView<float> y)
    {
        float acc = 0.0f;
        for (int r = 0; r < rows; r++) acc += x[(long)r * cols + c];
        y[c] = acc;
    }
}
