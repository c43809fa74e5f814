using System.Diagnostics;
using Scratch.Autograd;
using Scratch.Kernels;
using Scratch.Models.Autoencoders;
using Scratch.Models.Optim;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `profile`: where the time of one Scratch VAE step goes — the median of each phase (zero grad,
/// forward + loss, backward, Adam) and its managed allocation — next to the time the step's eleven
/// GEMMs take alone in each engine, so the rest (elementwise ops, reductions, graph bookkeeping)
/// shows as the difference.
/// </summary>
public static class StepProfile
{
    // The VAE's dense layers (In → Out) at batch 128: encoder 784→400→40 (μ and log σ² in one head), decoder 20→400→784.
    private static readonly (int In, int Out)[] Layers = [(784, 400), (400, 40), (20, 400), (400, 784)];

    public static void Run(int threads = 1, int steps = 200)
    {
        TorchRuntime.SetThreadsOfBoth(threads);
        var model = ModelFactory.Create(new ModelSpec { Kind = "vae" }, new Rng(1));
        var adam = new Adam(model.Parameters(), 1e-3);
        var context = new TrainingContext(new Rng(2));
        var train = Sample.Mnist.Train;
        var x = Scratch.Tensor.FromArray(train.ToFloats(0, 128), 128, train.PixelsPerImage);

        string[] phases = ["zero grad", "forward + loss", "backward", "adam", "end of pool scope"];
        TensorPool.ScopeHandle? scope = null;
        var ms = phases.Select(_ => new List<double>()).ToArray();
        var cpuMs = phases.Select(_ => new List<double>()).ToArray();
        bool cpu = threads == 1 && ThreadCpuClock.IsAvailable;
        var bytes = new double[phases.Length];
        LossReport? loss = null;
        Action[] work =
        [
            () => { scope = TensorPool.Scope(); adam.ZeroGrad(); },
            () => { loss = model.ComputeLoss(x, context); _ = loss.Value; },
            () => loss!.Total.Backward(),
            adam.Step,
            () => scope!.Dispose(), // every tensor of the step back to the pool, as Trainer does
        ];
        for (int s = 0; s < steps + 10; s++)
            for (int p = 0; p < work.Length; p++)
            {
                long b0 = GC.GetTotalAllocatedBytes(precise: true);
                long c0 = cpu ? ThreadCpuClock.NowNs() : 0;
                long t0 = Stopwatch.GetTimestamp();
                work[p]();
                double elapsed = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                double elapsedCpu = cpu ? (ThreadCpuClock.NowNs() - c0) / 1e6 : double.NaN;
                if (s < 10) continue; // warm-up
                ms[p].Add(elapsed);
                cpuMs[p].Add(elapsedCpu);
                bytes[p] += GC.GetTotalAllocatedBytes(precise: true) - b0;
            }

        Console.WriteLine($"Scratch VAE step, batch 128, {threads} thread(s), medians over {steps} steps:");
        Console.WriteLine("| phase | median ms | median cpu ms | alloc/step |");
        Console.WriteLine("|---|---:|---:|---:|");
        double total = 0, totalCpu = 0;
        for (int p = 0; p < phases.Length; p++)
        {
            double median = PairTimer.Median(ms[p]), medianCpu = PairTimer.Median(cpuMs[p]);
            total += median;
            totalCpu += medianCpu;
            Console.WriteLine($"| {phases[p]} | {median:F3} | {medianCpu:F3} | {QuickRun.Bytes(bytes[p] / steps)} |");
        }
        Console.WriteLine($"| sum of phases | {total:F3} | {totalCpu:F3} | {QuickRun.Bytes(bytes.Sum() / steps)} |");
        if (cpu) total = totalCpu; // on one thread, compare CPU times: they shrug off the other processes

        var (scratchGemm, torchGemm) = GemmsOfOneStep(threads);
        Console.WriteLine($"The step's 11 GEMMs alone (forward x·Wᵀ, backward dy·W and dyᵀ·x; no dx for the input): " +
                          $"Scratch {scratchGemm:F3} ms, TorchSharp {torchGemm:F3} ms.");
        Console.WriteLine($"Scratch outside GEMM: ≈ {total - scratchGemm:F3} ms of {total:F3} ms.");
        ReportAllocations(model, adam, context, x, threads);
        ReportOps(model, adam, context, x, threads);
    }

    // The engine's own op profiler (Scratch.Autograd.Profiler, wall time) over 200 steps: time per op and direction.
    private static void ReportOps(Autoencoder model, Adam adam, TrainingContext context, Scratch.Tensor x, int threads)
    {
        const int steps = 200;
        using (CpuThreads.Use(threads))
        using (Profiler.Scope())
            for (int s = 0; s < steps; s++)
                using (TensorPool.Scope())
                {
                    adam.ZeroGrad();
                    var loss = model.ComputeLoss(x, context);
                    _ = loss.Value;
                    loss.Total.Backward();
                    adam.Step();
                }
        double total = Profiler.Results.Sum(r => r.Milliseconds);
        Console.WriteLine($"Ops of the step by Scratch.Autograd.Profiler (wall time, mean over {steps} steps; Adam is not an op):");
        Console.WriteLine("| op | ms per step | share |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (op, ms, _) in Profiler.Results.Take(14))
            Console.WriteLine($"| {op} | {ms / steps:F3} | {ms / total:P1} |");
    }

    // 1,000 more steps under the runtime's allocation sampling: which types the steady state still allocates.
    private static void ReportAllocations(Autoencoder model, Adam adam, TrainingContext context, Scratch.Tensor x, int threads)
    {
        const int steps = 1000;
        using var sampler = new AllocationSampler();
        using (CpuThreads.Use(threads))
        {
            sampler.Start();
            for (int s = 0; s < steps; s++)
                using (TensorPool.Scope())
                {
                    adam.ZeroGrad();
                    var loss = model.ComputeLoss(x, context);
                    _ = loss.Value;
                    loss.Total.Backward();
                    adam.Step();
                }
            sampler.Stop();
        }
        Console.WriteLine($"Managed allocation by type over {steps} steps (runtime AllocationTick sampling, ~100 KB per sample):");
        foreach (var (type, bytes) in sampler.Top(12, steps))
            Console.WriteLine($"  {QuickRun.Bytes(bytes),10} per step  {type}");
    }

    // Sum of the medians of each GEMM of one VAE step, in both engines, on the same operands.
    private static (double Scratch, double Torch) GemmsOfOneStep(int threads)
    {
        double scratch = 0, torchMs = 0;
        foreach (var (inSize, outSize) in Layers)
        {
            var shapes = new List<GemmShape>
            {
                new($"y=x·Wᵀ {inSize}→{outSize}", 128, outSize, inSize, false, true),      // (B,In)·(Out,In)ᵀ
                new($"dW=dyᵀ·x {inSize}→{outSize}", outSize, inSize, 128, true, false),     // (B,Out)ᵀ·(B,In)
            };
            if (inSize != 784) shapes.Add(new($"dx=dy·W {inSize}→{outSize}", 128, inSize, outSize, false, false)); // (B,Out)·(Out,In)
            foreach (var shape in shapes)
            {
                using var pair = new GemmPair(shape);
                pair.Validate(threads);
                TorchRuntime.SetThreadsOfBoth(threads);
                var t = PairTimer.Measure(pair.RunScratch, pair.RunTorch, threads == 1, budgetSeconds: 0.3);
                scratch += t.ScratchQuietMs;
                torchMs += t.TorchQuietMs;
                Console.WriteLine($"  GEMM {shape.Name} ({shape.M}x{shape.N}x{shape.K}): Scratch {t.ScratchQuietMs:F3} ms, TorchSharp {t.TorchQuietMs:F3} ms, ratio {t.QuietRatio:F2}");
            }
        }
        return (scratch, torchMs);
    }
}
