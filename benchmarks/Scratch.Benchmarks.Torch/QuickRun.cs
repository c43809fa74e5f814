using System.Diagnostics;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `quick`: every pair of the suite with <see cref="PairTimer"/> — GEMMs, a training step of each
/// variant, one VAE epoch, on 1 and 2 threads — then the GC check; prints a Markdown table.
/// A few minutes on the 2-core machine (the BenchmarkDotNet suites take much longer).
/// </summary>
public static class QuickRun
{
    public static void Run(bool includeEpoch = true)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Scratch vs TorchSharp, quick mode (Stopwatch medians, the engines taking turns in short blocks), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        // Wall-time medians, then the quiet estimates (1 thread: thread-CPU-time median; 2 threads:
        // fastest call), which a busy machine disturbs far less. GFLOP/s from the quiet estimates.
        Console.WriteLine("| benchmark | threads | Scratch median ms | TorchSharp median ms | ratio S/T | Scratch quiet ms | TorchSharp quiet ms | quiet ratio S/T | Scratch GFLOP/s | TorchSharp GFLOP/s | Scratch alloc/call | calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

        GemmRows(Suite.GemmShapes, [1, 2]);

        StepRows(Suite.Kinds, [1, 2]);

        if (includeEpoch)
            foreach (int threads in new[] { 1, 2 })
            {
                var epoch = new EpochPair();
                epoch.Validate(threads);
                TorchRuntime.SetThreadsOfBoth(threads);
                var t = PairTimer.Measure(() => epoch.RunScratch(), () => epoch.RunTorch(), threads == 1, budgetSeconds: 10, minCalls: 3);
                Row($"epoch vae ({epoch.Steps} steps)", threads, t);
            }

        Console.WriteLine();
        GcCheck.Run(steps: 1000, threads: 1);
        Console.WriteLine($"quick mode took {clock.Elapsed.TotalMinutes:F1} min");
    }

    /// <summary>
    /// `gemm [threads] [name…]`: only the GEMM pairs, on the given thread count (default 1), those
    /// whose names contain one of the given strings (default all); a minute instead of quick's several.
    /// </summary>
    public static void RunGemms(int threads, string[] names)
    {
        Console.WriteLine($"Scratch vs TorchSharp GEMMs (Stopwatch medians, the engines taking turns in short blocks), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        Console.WriteLine("| benchmark | threads | Scratch median ms | TorchSharp median ms | ratio S/T | Scratch quiet ms | TorchSharp quiet ms | quiet ratio S/T | Scratch GFLOP/s | TorchSharp GFLOP/s | Scratch alloc/call | calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var shapes = Suite.GemmShapes.Where(s => names.Length == 0 || names.Any(n => s.Name.Contains(n, StringComparison.OrdinalIgnoreCase)));
        GemmRows([.. shapes], [threads]);
    }

    /// <summary>
    /// `steps [threads] [kind…]`: only the training-step pairs (default vae on 1 and 2 threads),
    /// for a quick look at one variant.
    /// </summary>
    public static void RunSteps(int[] threadCounts, string[] kinds)
    {
        Console.WriteLine($"Scratch vs TorchSharp training steps, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        Console.WriteLine("| benchmark | threads | Scratch median ms | TorchSharp median ms | ratio S/T | Scratch quiet ms | TorchSharp quiet ms | quiet ratio S/T | Scratch GFLOP/s | TorchSharp GFLOP/s | Scratch alloc/call | calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        StepRows(kinds.Length == 0 ? ["vae"] : kinds, threadCounts);
    }

    private static void StepRows(IEnumerable<string> kinds, int[] threadCounts)
    {
        foreach (var kind in kinds)
            foreach (int threads in threadCounts)
            {
                var pair = new StepPair(kind, Sample.Mnist.Train);
                pair.Validate(threads);
                TorchRuntime.SetThreadsOfBoth(threads);
                // At least 25 calls: on two threads a busy machine makes calls slow, and the fastest of few is no estimate.
                var t = PairTimer.Measure(() => pair.StepScratch(), () => pair.StepTorch(), threads == 1, budgetSeconds: 3, minCalls: 25);
                Row($"step {kind} (batch 128)", threads, t);
            }
    }

    private static void GemmRows(IReadOnlyList<GemmShape> shapes, int[] threadCounts)
    {
        foreach (var shape in shapes)
        {
            using var pair = new GemmPair(shape);
            foreach (int threads in threadCounts)
            {
                pair.Validate(threads);
                TorchRuntime.SetThreadsOfBoth(threads);
                var t = PairTimer.Measure(pair.RunScratch, pair.RunTorch, threads == 1);
                Row($"GEMM {shape.Name}", threads, t, shape.Flops);
            }
        }
    }

    private static void Row(string name, int threads, PairTiming t, double flops = 0)
    {
        string rate(double ms) => flops > 0 ? $"{flops / ms / 1e6:F1}" : "-";
        Console.WriteLine($"| {name} | {threads} | {t.ScratchMs:F3} | {t.TorchMs:F3} | {t.Ratio:F2} | {t.ScratchQuietMs:F3} | {t.TorchQuietMs:F3} | {t.QuietRatio:F2} | " +
                          $"{rate(t.ScratchQuietMs)} | {rate(t.TorchQuietMs)} | {Bytes(t.ScratchBytesPerCall)} | {t.Calls} |");
    }

    public static string Bytes(double bytes) =>
        bytes >= 1 << 20 ? $"{bytes / (1 << 20):F1} MB" : bytes >= 1 << 10 ? $"{bytes / 1024:F1} KB" : $"{bytes:F0} B";
}
