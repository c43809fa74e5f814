using Scratch.Models.Data;
using Scratch.Models.Gans;
using ConvStages = Scratch.Models.Nn.ConvStages;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `dcgan64`: the DCGAN of Radford et al. (2016) at its own size — 64×64 RGB, z 100, base width 64,
/// so the generator runs 100 → 512×4×4 → 256×8×8 → 128×16×16 → 64×32×32 → 3×64×64 and the
/// discriminator back, batch 64 — in Scratch (<see cref="DcganTrainer"/>) and in its TorchSharp twin
/// on one thread. First checked equal: two steps from the same weights, real images and z in
/// float64 (losses to 1e-9, every parameter afterwards to 1e-6 of its tensor's largest value;
/// batch 8 to keep it short), then two float32 steps at batch 64, the timed pair's own (losses to
/// 1e-3, not the other pairs' 1e-4: see Run). Then timed with <see cref="PairTimer"/> (medians of the
/// thread's CPU time, the engines taking turns), and each of its nine convolutions forward + backward with GFLOP/s, as `conv` does
/// for the 28×28 conv VAE. The real images are colour MNIST brought to 64×64 (`--data colour-mnist
/// --image-size 64`): a step's cost does not depend on what the pixels show.
/// </summary>
public static class Dcgan64
{
    public const int Batch = 64;

    /// <summary>Radford et al.'s layout: z 100, f 64 (channels 64-128-256-512), 3×64×64.</summary>
    public static readonly GanShape Shape = new(LatentSize: 100, Features: 64) { Image = new ImageShape(3, 64, 64) };

    public static void Run(int threads = 1)
    {
        TorchRuntime.SetThreadsOfBoth(threads);
        var stages = Shape.Stages();
        Console.WriteLine($"dcgan64: DCGAN 64×64 RGB, z {Shape.LatentSize}, f {Shape.Features}, batch {Batch}, Adam 2e-4 β1 0.5, {threads} thread(s), " +
                          $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"discriminator {stages} → logit; generator the reverse from z");
        var images = DataSource.Load(ColourMnist.Name, new DataOptions { ImageSize = (64, 64) }).Train.Take(Batch);

        var check = new DcganStepPair(Shape, images, batch: 8, Scratch.DType.Float64);
        var (losses64, worst64, worstParameter) = check.Validate(lossTolerance: 1e-9, parameterTolerance: 1e-6);
        Console.WriteLine($"checked, float64, batch 8: {Losses(losses64)}; losses within {worst64:E1} (relative), " +
                          $"parameters after two steps within {worstParameter:E1} of each tensor's largest value");
        // Float32 only to 1e-3 after the first update: Adam's first steps move a weight by ±lr whatever its
        // gradient's size, so a gradient that float32 rounding leaves near 0 with either sign moves the
        // weight by up to 2·lr in one engine against the other (measured: D's second loss 3.3e-4 apart at
        // 0.029). Equality is what the float64 check above shows; this one checks the timed pair's setup.
        var pair = new DcganStepPair(Shape, images, Batch, Scratch.DType.Float32);
        var (losses32, worst32, _) = pair.Validate(lossTolerance: 1e-3);
        Console.WriteLine($"checked, float32, batch {Batch}: {Losses(losses32)}; losses within {worst32:E1} (relative)");
        Console.WriteLine();
        Console.WriteLine("| benchmark | Scratch ms | TorchSharp ms | ratio S/T | Scratch GFLOP/s | TorchSharp GFLOP/s | Scratch wall ms | TorchSharp wall ms | calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var step = PairTimer.Measure(() => pair.StepScratch(), () => pair.StepTorch(), singleThread: threads == 1, budgetSeconds: 30, minCalls: 7);
        Row($"DCGAN 64×64 training step (D then G, batch {Batch})", step, flops: 0);
        foreach (var layer in Layers(stages))
        {
            var conv = new ConvPair(layer);
            conv.Validate(threads);
            var t = PairTimer.Measure(conv.RunScratch, conv.RunTorch, singleThread: threads == 1, budgetSeconds: 4, minCalls: 9);
            Row(layer.Name + " fwd+bwd", t, layer.FwdBwdFlops);
        }
        Console.WriteLine();
        Console.WriteLine("ms: medians of the calling thread's CPU time on one thread (wall-clock medians in the last columns); GFLOP/s: " +
                          "3 × 2·B·Cin·Cout·k² per position of the smaller map (forward, input and weight gradients), over the CPU-time median.");
    }

    /// <summary>
    /// The nine convolutions of the network at batch 64, from its <see cref="ConvStages"/>: the
    /// generator's projection (ConvTranspose2d from the 1×1 code, kernel the smallest map's size, no
    /// bias), its four stride-2 layers (bias on the last only), the discriminator's four (bias on the
    /// first only). The head is a Linear and left out.
    /// </summary>
    public static IEnumerable<ConvLayerShape> Layers(ConvStages s)
    {
        int z = Shape.LatentSize;
        string Map(int stage) => $"{s.Size(stage).H}×{s.Size(stage).W}";
        yield return new($"G conv_transpose2d {z}→{s.BottomChannels}, 1×1→{Map(s.Count)}", true, z, s.BottomChannels, 1, s.Bottom, 1, 0, Bias: false, Batch: Batch);
        for (int stage = s.Count; stage >= 1; stage--)
            yield return new($"G conv_transpose2d {s.Channels(stage)}→{s.Channels(stage - 1)}, {Map(stage)}→{Map(stage - 1)}", true,
                s.Channels(stage), s.Channels(stage - 1), s.Size(stage), ConvStages.Kernel, ConvStages.Stride, ConvStages.Padding,
                s.OutputPadding(stage), Bias: stage == 1, Batch: Batch);
        for (int stage = 1; stage <= s.Count; stage++)
            yield return new($"D conv2d {s.Channels(stage - 1)}→{s.Channels(stage)}, {Map(stage - 1)}→{Map(stage)}", false,
                s.Channels(stage - 1), s.Channels(stage), s.Size(stage - 1), ConvStages.Kernel, ConvStages.Stride, ConvStages.Padding,
                Bias: stage == 1, Batch: Batch);
    }

    private static void Row(string name, PairTiming t, double flops)
    {
        string Rate(double ms) => flops > 0 ? $"{flops / (ms * 1e6):F1}" : "—";
        Console.WriteLine($"| {name} | {t.ScratchQuietMs:F1} | {t.TorchQuietMs:F1} | {t.QuietRatio:F2} | {Rate(t.ScratchQuietMs)} | {Rate(t.TorchQuietMs)} | " +
                          $"{t.ScratchMs:F1} | {t.TorchMs:F1} | {t.Calls} |");
    }

    private static string Losses((double D, double G)[] steps, string format = "R") =>
        string.Join("; ", steps.Select((l, i) => $"step {i + 1} D {l.D.ToString(format)}, G {l.G.ToString(format)}"));
}
