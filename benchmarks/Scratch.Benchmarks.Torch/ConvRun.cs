using System.Diagnostics;
using Scratch.Models.Autoencoders;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `conv`: the convolution pairs — forward + backward of each conv VAE layer at batch 128, and one
/// conv VAE training step — on 1 and 2 threads, each validated against TorchSharp before it is
/// timed; then the bytes a steady-state Scratch step allocates. Prints a Markdown table.
/// `conv-parity [epochs] [seeds] [data]`: the TorchSharp twin of the conv VAE trained with the recipe
/// of `scratch train --model vae --arch conv --data DATA` (Adam 1e-3, batch 128 with the last partial
/// batch kept, BCE-sum + KL per sample, test loss per sample in eval mode with a sampled z), from the
/// initial weights Scratch draws for that seed and the data's C×H×W; prints the test loss per seed.
/// Its batch order (torch.randperm) and noise are its own: the CLI run's test loss is the comparison.
/// </summary>
public static class ConvRun
{
    public static void Run()
    {
        Console.WriteLine($"Scratch vs TorchSharp, convolution pairs (Stopwatch medians, engines taking turns), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        Console.WriteLine("| benchmark | threads | Scratch median ms | TorchSharp median ms | ratio S/T | Scratch quiet ms | TorchSharp quiet ms | quiet ratio S/T | Scratch alloc/call | calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var shape in ConvLayerShape.VaeLayers)
        {
            var pair = new ConvPair(shape);
            foreach (int threads in new[] { 1, 2 })
            {
                pair.Validate(threads);
                var t = PairTimer.Measure(pair.RunScratch, pair.RunTorch, threads == 1, budgetSeconds: 3, minCalls: 10);
                Row($"{shape.Name} fwd+bwd (batch 128)", threads, t);
            }
        }
        foreach (int threads in new[] { 1, 2 })
        {
            var step = new ConvVaeStepPair(Sample.Mnist.Train);
            step.Validate(threads);
            var t = PairTimer.Measure(() => step.StepScratch(), () => step.StepTorch(), threads == 1, budgetSeconds: 5, minCalls: 10);
            Row("step conv vae (batch 128)", threads, t);
        }
        StepAllocations();
    }

    private static void Row(string name, int threads, PairTiming t) =>
        Console.WriteLine($"| {name} | {threads} | {t.ScratchMs:F2} | {t.TorchMs:F2} | {t.Ratio:F2} | {t.ScratchQuietMs:F2} | {t.TorchQuietMs:F2} | {t.QuietRatio:F2} | " +
                          $"{QuickRun.Bytes(t.ScratchBytesPerCall)} | {t.Calls} |");

    // 50 steps after 5 of warm-up: every tensor buffer comes from the pool by then.
    private static void StepAllocations()
    {
        TorchRuntime.SetThreadsOfBoth(1);
        var step = new ConvVaeStepPair(Sample.Mnist.Train);
        for (int i = 0; i < 5; i++) step.StepScratch();
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        int gen2 = GC.CollectionCount(2);
        const int steps = 50;
        for (int i = 0; i < steps; i++) step.StepScratch();
        double perStep = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)steps;
        Console.WriteLine();
        Console.WriteLine($"Steady-state conv VAE step (1 thread): {QuickRun.Bytes(perStep)} allocated per step (graph nodes and closures, no tensor buffers), " +
                          $"{GC.CollectionCount(2) - gen2} Gen2 collections in {steps} steps.");
    }

    public static void Parity(int epochs, ulong[] seeds, string? dataName = null, int threads = 1)
    {
        var data = Sample.Load(dataName);
        TorchRuntime.SetThreadsOfBoth(threads);
        // The model `scratch train --model vae --arch conv` builds for this data (RecipeOptions.Spec): the image shape is the data's.
        var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { Architecture = Architecture.Conv, InputSize = data.Shape.Pixels, Image = data.Shape } };
        Console.WriteLine($"TorchSharp twin of the conv VAE ({spec.Config.Describe()}: {spec.Config.Stages()}), {epochs} epochs, seeds {string.Join(", ", seeds)}, " +
                          $"{threads} thread(s), {data.Source}: {data.Train.Count} train / {data.Test.Count} test images of {data.Shape}");
        var trainAll = TorchRuntime.FromArray(data.Train.ToFloats(), data.Train.Count, data.Train.PixelsPerImage);
        var testAll = TorchRuntime.FromArray(data.Test.ToFloats(), data.Test.Count, data.Test.PixelsPerImage);
        // The twin must be the same network: two steps on these images with Scratch's ε replayed, losses equal to 1e-4.
        new ConvVaeStepPair(data.Train).Validate(threads);
        Console.WriteLine("checked: two steps on these images, the same initial weights and ε in both engines, losses equal to 1e-4");
        foreach (var seed in seeds)
        {
            var clock = Stopwatch.StartNew();
            var twin = new TorchConvVae((VariationalAutoencoder)ModelFactory.Create(spec, new Rng(seed)));
            torch.manual_seed((long)seed);
            var adam = torch.optim.Adam(twin.Parameters, lr: 1e-3);
            var losses = new List<double>();
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                twin.Train();
                using (var order = torch.randperm(data.Train.Count))
                    for (long start = 0; start < data.Train.Count; start += ConvPair.Batch)
                    {
                        using var scope = torch.NewDisposeScope();
                        var x = trainAll.index_select(0, order.narrow(0, start, Math.Min(ConvPair.Batch, data.Train.Count - start)));
                        adam.zero_grad();
                        twin.Loss(x).backward();
                        adam.step();
                    }
                twin.Train(false);
                double sum = 0;
                using (torch.no_grad())
                    for (long start = 0; start < data.Test.Count; start += ConvPair.Batch)
                    {
                        using var scope = torch.NewDisposeScope();
                        long n = Math.Min(ConvPair.Batch, data.Test.Count - start);
                        sum += twin.Loss(testAll.narrow(0, start, n)).item<float>() * n;
                    }
                losses.Add(sum / data.Test.Count);
            }
            Console.WriteLine($"seed {seed}: test loss per sample by epoch {string.Join(" ", losses.Select(l => l.ToString("F2")))}; " +
                              $"after {epochs}: {losses[^1]:F2} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
    }
}
