using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>Sizes and switches of a batch-norm launch: x viewed as (N, C, S); flags are 0 or 1.</summary>
internal struct BatchNormSizes
{
    public int N, C, S;
    public int HasGamma, HasBeta, Training, WriteDGamma, WriteDBeta;
}

/// <summary>
/// Batch normalisation over x viewed as (N, C, S), the contracts of Cpu/Conv/CpuKernels.BatchNorm.cs.
/// The per-channel sums are explicitly grouped kernels, one group per channel: its threads stride
/// over the channel's M = N·S values and fold them with the shared-memory tree of
/// <see cref="GroupTree"/> (fixed shape: reproducible, no atomics). Sums are float32 here, double on
/// the CPU: the tests allow for that. Every static method here is a kernel; the PTX test compiles each one.
/// </summary>
internal static class BatchNormKernels
{
    // x: (N, C, S) → mean, variance: (C); biased variance, two passes (no cancellation).
    public static void Statistics(ArrayView<float> x, BatchNormSizes z, ArrayView<float> mean, ArrayView<float> variance)
    {
        var shared = SharedMemory.Allocate<float>(ReductionKernels.MaxGroupSize);
        int channel = Grid.IdxX, m = z.N * z.S;
        float sum = 0.0f;
        for (int k = Group.IdxX; k < m; k += Group.DimX) sum += x[At(k, channel, z)];
        float mu = GroupTree.Reduce<SumReduction>(sum, shared) / m;
        Group.Barrier();   // every thread has read the total before shared memory is reused
        float squares = 0.0f;
        for (int k = Group.IdxX; k < m; k += Group.DimX)
        {
            float d = x[At(k, channel, z)] - mu;
            squares += d * d;
        }
        float total = GroupTree.Reduce<SumReduction>(squares, shared);
        if (Group.IsFirstThread)
        {
            mean[channel] = mu;
            variance[channel] = total / m;
        }
    }

    // y = (x − mean[c])·invStd[c]·γ[c] + β[c], one thread per element; γ, β read only when present.
    public static void Apply(Index1D index, ArrayView<float> x, BatchNormSizes z, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y)
    {
        int channel = index / z.S % z.C;
        float scale = invStd[channel] * (z.HasGamma != 0 ? gamma[channel] : 1.0f);
        float shift = (z.HasBeta != 0 ? beta[channel] : 0.0f) - mean[channel] * scale;
        y[index] = x[index] * scale + shift;
    }

    // The backward of Apply, one group per channel, x̂ = (x − mean)·invStd:
    //   dγ = Σ dy·x̂, dβ = Σ dy;
    //   training: dx = γ·invStd·(dy − dβ/M − x̂·dγ/M); eval: dx = γ·invStd·dy.
    public static void Backward(ArrayView<float> x, ArrayView<float> dy, BatchNormSizes z, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> dx, ArrayView<float> dgamma, ArrayView<float> dbeta)
    {
        var shared = SharedMemory.Allocate<float>(ReductionKernels.MaxGroupSize);
        int channel = Grid.IdxX, m = z.N * z.S;
        float mu = mean[channel], inv = invStd[channel];
        float partialDy = 0.0f, partialDyXhat = 0.0f;
        for (int k = Group.IdxX; k < m; k += Group.DimX)
        {
            int at = At(k, channel, z);
            partialDy += dy[at];
            partialDyXhat += dy[at] * (x[at] - mu) * inv;
        }
        float sumDy = GroupTree.Reduce<SumReduction>(partialDy, shared);
        Group.Barrier();
        float sumDyXhat = GroupTree.Reduce<SumReduction>(partialDyXhat, shared);
        if (Group.IsFirstThread)
        {
            if (z.WriteDGamma != 0) dgamma[channel] = sumDyXhat;
            if (z.WriteDBeta != 0) dbeta[channel] = sumDy;
        }
        float scale = (z.HasGamma != 0 ? gamma[channel] : 1.0f) * inv;
        float meanDy = z.Training != 0 ? sumDy / m : 0.0f, meanDyXhat = z.Training != 0 ? sumDyXhat / m : 0.0f;
        for (int k = Group.IdxX; k < m; k += Group.DimX)
        {
            int at = At(k, channel, z);
            float xhat = (x[at] - mu) * inv;
            dx[at] = scale * (dy[at] - meanDy - xhat * meanDyXhat);
        }
    }

    // The k-th of channel c's M values, k = b·S + j → x[b, c, j].
    private static int At(int k, int channel, BatchNormSizes z) => (k / z.S * z.C + channel) * z.S + k % z.S;
}
