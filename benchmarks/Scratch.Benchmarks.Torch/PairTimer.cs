using System.Diagnostics;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// The medians of two engines doing the same work, and what Scratch allocated per call; plus a
/// "quiet" estimate of each, what the call costs when no other process takes the cores: on one
/// thread the median of the calling thread's CPU time (both engines then compute on that thread,
/// and its CPU time leaves out the moments other processes had the core); on two threads the
/// fastest call (one during which both cores happened to be free).
/// </summary>
public readonly record struct PairTiming(double ScratchMs, double TorchMs, double ScratchQuietMs, double TorchQuietMs, double ScratchBytesPerCall, int Calls)
{
    /// <summary>Scratch's time / TorchSharp's: below 1 means Scratch is faster.</summary>
    public double Ratio => ScratchMs / TorchMs;

    public double QuietRatio => ScratchQuietMs / TorchQuietMs;
}

/// <summary>
/// A Stopwatch harness for a shared, noisy 2-core machine. The engines take turns in short blocks
/// (~40 ms of calls each) for a time budget, so a burst of load from another process hits both
/// alike, and the median of each side is reported (a mean would absorb every interruption).
/// Why blocks and not call by call: after each parallel region libtorch's OpenMP workers
/// (libgomp) keep spinning for a few milliseconds, and a Scratch call started then finds its second
/// core taken (measured: Scratch's 512³ on two threads took 2.9 ms right after a torch call, 1.3 ms
/// alone); a pause between blocks lets them sleep, and the first call of a block, which finds the
/// caches full of the other engine's data, is not counted.
/// </summary>
public static class PairTimer
{
    private const double BlockSeconds = 0.04;
    private const int PauseMs = 20;
    private const double MaxWarmUpSeconds = 0.5;   // a third of the budget when that is shorter

    public static PairTiming Measure(Action scratch, Action torch, bool singleThread, double budgetSeconds = 1.5, int minCalls = 5, int maxCalls = 2000)
    {
        WarmUp(scratch, torch, Math.Min(MaxWarmUpSeconds, budgetSeconds / 3));
        bool cpu = singleThread && ThreadCpuClock.IsAvailable;
        List<double> scratchMs = [], torchMs = [], scratchCpu = [], torchCpu = [];
        long allocated = 0;
        var budget = Stopwatch.StartNew();
        while (scratchMs.Count < minCalls || torchMs.Count < minCalls ||
               (budget.Elapsed.TotalSeconds < budgetSeconds && scratchMs.Count < maxCalls))
        {
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var (timed, calls) = Block(scratch, scratchMs, scratchCpu, cpu);
            allocated += (GC.GetTotalAllocatedBytes(precise: true) - bytes0) * timed / calls;
            Thread.Sleep(PauseMs);
            Block(torch, torchMs, torchCpu, cpu);
            Thread.Sleep(PauseMs);
        }
        return new PairTiming(Median(scratchMs), Median(torchMs), cpu ? Median(scratchCpu) : scratchMs.Min(),
            cpu ? Median(torchCpu) : torchMs.Min(), (double)allocated / scratchMs.Count, scratchMs.Count);
    }

    // Untimed blocks of both engines, taking turns as in the measurement, for `seconds`: until
    // .NET's tiered JIT has replaced the first, quickly compiled code of the methods on the path
    // (tier 0, then on-stack replacement) by the optimized tier 1. Without it the first pair of a
    // run measured Scratch's GEMM driver before its tier-up: 128×400·400×20 came out 1.5–2.6× slower
    // than the same pair run later in the same process.
    private static void WarmUp(Action scratch, Action torch, double seconds)
    {
        var warm = Stopwatch.StartNew();
        do
        {
            RunFor(scratch, BlockSeconds);
            Thread.Sleep(PauseMs);
            RunFor(torch, BlockSeconds);
            Thread.Sleep(PauseMs);
        } while (warm.Elapsed.TotalSeconds < seconds);
    }

    private static void RunFor(Action action, double seconds)
    {
        var block = Stopwatch.StartNew();
        do action(); while (block.Elapsed.TotalSeconds < seconds);
    }

    // Calls longer than this skip the untimed first call of a block: the other engine's data it
    // would flush from the caches is rewritten many times over within the call itself, and a
    // DCGAN step of seconds would spend half the budget untimed.
    private const double LongCallMs = 10 * BlockSeconds * 1000;

    // One untimed call (unless the last timed one was long), then timed calls for ~BlockSeconds (at
    // least one). Returns how many were timed and how many were made.
    private static (int Timed, int Calls) Block(Action action, List<double> wallMs, List<double> cpuMs, bool cpu)
    {
        var last = cpu ? cpuMs : wallMs;   // on one thread its CPU time, which load does not stretch
        int untimed = last.Count == 0 || last[^1] < LongCallMs ? 1 : 0;
        if (untimed == 1) action();
        var block = Stopwatch.StartNew();
        int timed = 0;
        do
        {
            Time(action, wallMs, cpuMs, cpu);
            timed++;
        } while (block.Elapsed.TotalSeconds < BlockSeconds);
        return (timed, timed + untimed);
    }

    private static void Time(Action action, List<double> wallMs, List<double> cpuMs, bool cpu)
    {
        long c0 = cpu ? ThreadCpuClock.NowNs() : 0;
        long t0 = Stopwatch.GetTimestamp();
        action();
        wallMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        if (cpu) cpuMs.Add((ThreadCpuClock.NowNs() - c0) / 1e6);
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
