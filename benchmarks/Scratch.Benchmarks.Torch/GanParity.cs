using System.Diagnostics;
using System.Globalization;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Experiments.Generation;
using Scratch.Experiments.Metrics;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `gan-parity`: the DCGAN of `scratch generate` (z 64, f 16, Adam 2e-4/β₁ 0.5, batch 64, drop last)
/// trained for a fixed number of epochs on the bundled training digits by Scratch (DcganTrainer) and by
/// its TorchSharp twin (<see cref="TorchDcgan"/>), each from its own initialisation and noise of the
/// same seed, over several seeds; 2,004 samples of each scored against the 2,004 test digits with
/// Scratch's FID in the feature space of the cached digit classifier (the one `scratch generate` uses,
/// trained once into runs/cache). A GAN's FID after a few epochs swings from run to run, so the check is a
/// band on the means: |mean(Scratch) − mean(TorchSharp)| ≤ the larger of the two seed spreads (max − min),
/// and the line says which.
/// </summary>
public static class GanParity
{
    public static void Run(int epochs, ulong[] seeds, int threads = 1)
    {
        var data = Sample.Mnist;
        TorchRuntime.SetThreadsOfBoth(threads);
        var features = FeatureNetworkCache.LoadOrTrain(Path.Combine("runs", "cache"), data.Fingerprint, data.Train, data.Test, new ClassifierRecipe(), Console.WriteLine);
        int n = data.Test.Count;
        var real = features.Classifier.Embed(data.Test.ToFloats(), n);
        Console.WriteLine($"gan-parity: DCGAN z 64, f 16, Adam 2e-4 β1 0.5, batch 64, {epochs} epochs on {data.Train.Count} digits, seeds {string.Join(", ", seeds)}, " +
                          $"{threads} thread(s); FID of {n} samples vs the {n} test digits, features {features.Path} (test accuracy {features.TestAccuracy:P2})");
        var scratch = new List<double>();
        var torchSharp = new List<double>();
        foreach (var seed in seeds)
        {
            var recipe = new GanRecipe { Epochs = epochs, Seed = seed };
            var clock = Stopwatch.StartNew();
            var trainer = new DcganTrainer(recipe, data.Train);
            var epochsDone = trainer.Fit();
            var images = trainer.Generator.Sample(n, new Rng(seed * 31 + 7)).ToArray<float>();
            scratch.Add(Fid.Compute(real, features.Classifier.Embed(images, n)));
            Console.WriteLine($"seed {seed} Scratch:    FID {scratch[^1],7:F2}; last epoch {Terms(epochsDone[^1].TrainTerms)} ({clock.Elapsed.TotalSeconds:F0} s)");

            clock.Restart();
            var (fid, last) = TrainTwin(recipe, data.Train, features, real);
            torchSharp.Add(fid);
            Console.WriteLine($"seed {seed} TorchSharp: FID {fid,7:F2}; last epoch discriminator {last.D:F3}, generator {last.G:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        double spread = Math.Max(scratch.Max() - scratch.Min(), torchSharp.Max() - torchSharp.Min());
        double gap = scratch.Average() - torchSharp.Average();
        Console.WriteLine($"| engine | FID per seed | mean | spread (max − min) |");
        Console.WriteLine($"|---|---|---:|---:|");
        Console.WriteLine($"| Scratch | {List(scratch)} | {scratch.Average():F2} | {scratch.Max() - scratch.Min():F2} |");
        Console.WriteLine($"| TorchSharp | {List(torchSharp)} | {torchSharp.Average():F2} | {torchSharp.Max() - torchSharp.Min():F2} |");
        Console.WriteLine($"Scratch's mean FID − TorchSharp's: {gap:+0.00;-0.00}; band: within the larger seed spread ({spread:F2}) — {(Math.Abs(gap) <= spread ? "met" : "MISSED")}.");
    }

    // The loop of DcganTrainer on the twin: a fresh torch.randperm order each epoch, the last partial batch dropped.
    private static (double Fid, (double D, double G) Last) TrainTwin(GanRecipe recipe, ImageSet train, FeatureNetwork features, FeatureSet real)
    {
        var twin = new TorchDcgan(recipe, (long)recipe.Seed);
        var all = TorchRuntime.FromArray(train.ToFloats(), train.Count, train.PixelsPerImage);
        (double D, double G) sum = default;
        int steps = 0;
        for (int epoch = 0; epoch < recipe.Epochs; epoch++)
        {
            (sum, steps) = (default, 0);
            using var order = torch.randperm(train.Count);
            for (long start = 0; start + recipe.BatchSize <= train.Count; start += recipe.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var (d, g) = twin.Step(all.index_select(0, order.narrow(0, start, recipe.BatchSize)));
                sum = (sum.D + d, sum.G + g);
                steps++;
            }
        }
        int n = real.Count;
        var fid = Fid.Compute(real, features.Classifier.Embed(twin.Sample(n), n));
        return (fid, (sum.D / steps, sum.G / steps));
    }

    private static string Terms(IReadOnlyList<(string Name, double Value)> terms) =>
        string.Join(", ", terms.Select(t => $"{t.Name} {t.Value.ToString("F3", CultureInfo.InvariantCulture)}"));

    private static string List(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));
}
