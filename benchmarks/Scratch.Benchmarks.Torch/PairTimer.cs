using System.Diagnostics;

namespace Scratch.Benchmarks.Torch;

/// <summary>The medians of two engines doing the same work, and what Scratch allocated per call.</summary>
public readonly record struct PairTiming(double ScratchMs, double TorchMs, double ScratchBytesPerCall, int Calls)
{
    /// <summary>Scratch's time / TorchSharp's: below 1 means Scratch is faster.</summary>
    public double Ratio => ScratchMs / TorchMs;
}

/// <summary>
/// A Stopwatch harness for a shared, noisy 2-core machine: after a warm-up, the two engines
/// alternate call by call for a time budget, so a burst of load from another process hits both
/// alike, and the median of each side is reported (a mean would absorb every interruption).
/// </summary>
public static class PairTimer
{
    public static PairTiming Measure(Action scratch, Action torch, double budgetSeconds = 1.5, int minCalls = 5, int maxCalls = 2000)
    {
        for (int i = 0; i < 2; i++) { scratch(); torch(); }
        var scratchMs = new List<double>();
        var torchMs = new List<double>();
        long allocated = 0;
        var budget = Stopwatch.StartNew();
        while (scratchMs.Count < minCalls || (budget.Elapsed.TotalSeconds < budgetSeconds && scratchMs.Count < maxCalls))
        {
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            long t0 = Stopwatch.GetTimestamp();
            scratch();
            scratchMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - bytes0;

            t0 = Stopwatch.GetTimestamp();
            torch();
            torchMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return new PairTiming(Median(scratchMs), Median(torchMs), (double)allocated / scratchMs.Count, scratchMs.Count);
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
