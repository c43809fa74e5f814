using Scratch.Kernels;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `gc`: 1,000 Scratch VAE training steps in a row, counting collections per generation and the
/// managed bytes allocated per step. The target: ≤ 32 KB per step (graph bookkeeping only — no
/// tensor buffers, which come from the pool) and no Gen2 collection at all.
/// </summary>
public static class GcCheck
{
    public const long TargetBytesPerStep = 32 * 1024;

    public static bool Run(int steps = 1000, int threads = 1)
    {
        var pair = new StepPair("vae", Sample.Mnist.Train);
        using var scope = CpuThreads.Use(threads);
        for (int i = 0; i < 20; i++) pair.StepScratch(); // reach the steady state: pools filled, code jitted
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) pair.StepScratch();
        double perStep = (double)(GC.GetTotalAllocatedBytes(precise: true) - bytes) / steps;
        int d0 = GC.CollectionCount(0) - gen0, d1 = GC.CollectionCount(1) - gen1, d2 = GC.CollectionCount(2) - gen2;
        bool ok = perStep <= TargetBytesPerStep && d2 == 0;
        Console.WriteLine($"GC check, Scratch VAE step, {steps} steps on {threads} thread(s): {QuickRun.Bytes(perStep)} allocated per step " +
                          $"(target ≤ 32 KB), collections gen0 {d0}, gen1 {d1}, gen2 {d2} (target 0) — {(ok ? "met" : "MISSED")}");
        return ok;
    }
}
