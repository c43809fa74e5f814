using Scratch.Kernels;
using Scratch.TorchSharpSupport;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// The one door to libtorch for every benchmark: makes TorchSharp loadable on this system (Debian 12's
/// libstdc++ is older than the one TorchSharp 0.107 was built against; see tools/README.md) and sets
/// its intra-op thread count — the counterpart of Scratch's <c>CpuThreads.Use</c>.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Call before the first torch call of a process (BenchmarkDotNet's [GlobalSetup] included).</summary>
    public static void Ensure() => TorchSharpLoader.EnsureLoadable();

    /// <summary>libtorch's intra-op threads; both engines are compared at the same count.</summary>
    public static void UseThreads(int threads)
    {
        Ensure();
        torch.set_num_threads(threads);
    }

    /// <summary>The same thread count for both engines: Scratch's CpuThreads and libtorch's intra-op pool.</summary>
    public static void SetThreadsOfBoth(int threads)
    {
        CpuThreads.Count = threads;
        UseThreads(threads);
    }

    /// <summary>A float32 tensor with the given shape holding a copy of <paramref name="data"/>.</summary>
    public static torch.Tensor FromArray(float[] data, params long[] shape)
    {
        Ensure();
        return torch.tensor(data, shape, torch.float32);
    }

    public static float[] ToArray(torch.Tensor t) => t.contiguous().data<float>().ToArray();
}
