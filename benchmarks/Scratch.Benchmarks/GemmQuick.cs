using System.Diagnostics;
using System.Runtime.Intrinsics;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>
/// A quick Stopwatch measurement of every GEMM shape on 1 and 2 threads: the median of many
/// runs, which shrugs off the noise of a shared machine better than a mean. Run with
/// `dotnet run -c Release --project benchmarks/Scratch.Benchmarks -- gemm-quick [--threads 1] [--shapes 512^3,256^3]`.
/// </summary>
public static class GemmQuick
{
    public static void Run(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var only = Option("--shapes")?.Split(',');
        int[] th = Option("--threads") is { } t ? [int.Parse(t)] : [1, 2];
        // The engine's own answer (the same choice its GEMM makes), not a guess from the vector flags.
        Console.WriteLine($"micro-kernel: {CpuKernels.GemmMicroKernel} floats (switch with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0)");
        Console.WriteLine($"{"shape",-20} {"threads",7} {"median ms",10} {"GFLOP/s",8} {"best ms",10} {"GFLOP/s",8} {"cpu ms",10} {"GFLOP/s",8}");
        foreach (var shape in GemmShape.All.Where(s => only == null || only.Contains(s.Name)))
            foreach (int threads in th)
            {
                var data = GemmData<float>.Create(shape);
                data.Validate(threads);
                Report(shape.Name, threads, shape.Flops, () => data.RunFast(threads));
            }

        // float64 (the gradient-check dtype) on one shape, for scale: half the lanes per vector.
        var square = GemmShape.All.Single(s => s.Name == "512^3");
        foreach (int threads in only == null || only.Contains("512^3") ? th : [])
        {
            var data = GemmData<double>.Create(square);
            data.Validate(threads);
            Report("512^3 float64", threads, square.Flops, () => data.RunFast(threads));
        }
    }

    private static void Report(string name, int threads, double flops, Action run)
    {
        var (median, best, cpu) = TimeMs(run, flops, threads == 1);
        string cpuText = cpu > 0 ? $"{cpu,10:F3} {flops / cpu / 1e6,8:F1}" : $"{"-",10} {"-",8}";
        Console.WriteLine($"{name,-20} {threads,7} {median,10:F3} {flops / median / 1e6,8:F1} {best,10:F3} {flops / best / 1e6,8:F1} {cpuText}");
    }

    // Runs for ~0.5 s after a warm-up; returns the median and the best wall time of one call in
    // ms (on a busy machine the best run is the one no other process interrupted), and for a
    // single-threaded call the median CPU time of this thread, which excludes descheduling.
    private static (double Median, double Best, double Cpu) TimeMs(Action action, double flops, bool singleThread)
    {
        for (int i = 0; i < 3; i++) action();
        int reps = (int)Math.Clamp(0.5 / (flops / 60e9), 5, 2000);
        var times = new double[reps];
        var cpu = new double[reps];
        bool useCpu = singleThread && ThreadCpuClock.IsAvailable;
        for (int i = 0; i < reps; i++)
        {
            long c0 = useCpu ? ThreadCpuClock.NowNs() : 0;
            long t0 = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            cpu[i] = useCpu ? (ThreadCpuClock.NowNs() - c0) / 1e6 : 0;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        return (times[reps / 2], times[0], cpu[reps / 2]);
    }
}
