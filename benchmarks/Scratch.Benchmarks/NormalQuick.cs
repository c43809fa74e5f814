using System.Diagnostics;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Random;

namespace Scratch.Benchmarks;

/// <summary>
/// `normal-quick`: the denoiser's noise (128 × 784 float32 normals) drawn by the old path — one
/// xoshiro256** double Box–Muller per element (Rng.NextNormal: Math.Log, Math.SinCos), what
/// Tensor.Randn did before — and by the counter-based sampler (CpuKernels.FillNormal: Philox + float
/// Box–Muller on the widest vectors; DOTNET_EnableAVX512=0 / DOTNET_EnableAVX2=0 for the narrower
/// ones) on 1 and 2 threads. Checked against the scalar reference first, then timed.
/// </summary>
public static class NormalQuick
{
    public static void Run()
    {
        const int n = 128 * 784;
        const ulong key = 0x5EED, stream = 1;
        var values = new float[n];
        CpuKernels.FillNormal<float>(values, key, stream);
        for (int i = 0; i < n; i += 97)
            if (values[i] != Philox.NormalFloat(key, stream, i))
                throw new InvalidOperationException($"normal-quick: element {i} is {values[i]}, the reference says {Philox.NormalFloat(key, stream, i)}");

        Console.WriteLine($"{n:N0} float32 normals; vectors: {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "Vector512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128")}");
        Console.WriteLine($"{"path",-48} {"threads",7} {"median ms",10} {"cpu ms",8} {"ns/value",9}");
        var rng = new Rng(1);
        Report("xoshiro + double Box-Muller, per element (old)", 1, n, () =>
        {
            for (int i = 0; i < n; i++) values[i] = (float)rng.NextNormal();
        });
        foreach (int threads in new[] { 1, 2 })
            using (CpuThreads.Use(threads))
                Report("Philox + float Box-Muller, vectorized (new)", threads, n, () => CpuKernels.FillNormal<float>(values, key, stream));
    }

    private static void Report(string name, int threads, int n, Action run)
    {
        for (int i = 0; i < 3; i++) run();
        const int reps = 101;
        var wall = new double[reps];
        var cpu = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            long c0 = ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowNs() : 0;
            long t0 = Stopwatch.GetTimestamp();
            run();
            wall[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            cpu[i] = ThreadCpuClock.IsAvailable ? (ThreadCpuClock.NowNs() - c0) / 1e6 : 0;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        double best = threads == 1 && cpu[reps / 2] > 0 ? cpu[reps / 2] : wall[reps / 2];
        string cpuText = threads == 1 ? $"{cpu[reps / 2],8:F3}" : $"{"-",8}";
        Console.WriteLine($"{name,-48} {threads,7} {wall[reps / 2],10:F3} {cpuText} {best * 1e6 / n,9:F2}");
    }
}
