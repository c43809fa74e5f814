using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels;

/// <summary>
/// The engine's worker pool for work that is not a tensor kernel (decoding a folder of images,
/// say): the same <see cref="CpuThreads.Count"/> threads the kernels use, so a program that asks
/// for one thread gets one thread everywhere.
/// </summary>
public static class CpuParallel
{
    /// <summary>
    /// Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>), each exactly once,
    /// on up to <see cref="CpuThreads.Count"/> threads. The first exception a part throws is rethrown
    /// on the calling thread after every started part has finished.
    /// </summary>
    /// <remarks>A delegate per region (not per item): fine for work whose items take microseconds or more.</remarks>
    public static void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        WorkerPool.Run(new DelegateWork(body), count);
    }

    private sealed class DelegateWork(Action<int> body) : ParallelWork
    {
        public override void Run(int part) => body(part);
    }
}
