using System.Diagnostics;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Benchmarks;

/// <summary>
/// The GPU's three numbers, on any device: a square GEMM's GFLOP/s, one VAE training step and one
/// VAE epoch (784-400-20, batch 128, Adam 1e-3, the bundled sample). benchmarks/gpu-check.sh runs it
/// on `cuda`; on `ilgpu-cpu` it checks the same code path on a machine without a GPU (slowly: use
/// small --size and --train-limit there).
/// `dotnet run -c Release --project benchmarks/Scratch.Benchmarks -- device-quick --device cuda [--size 4096] [--steps 50] [--train-limit 0]`
/// Smaller for the simulator: `--device ilgpu-cpu --size 64 --steps 2 --batch 16 --hidden 32 --latent 4 --train-limit 32`.
/// </summary>
public static class DeviceQuick
{
    public static void Run(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var device = Device.Parse(Option("--device") ?? "cuda");
        int size = int.Parse(Option("--size") ?? "4096");
        int steps = int.Parse(Option("--steps") ?? "50");
        int trainLimit = int.Parse(Option("--train-limit") ?? "0");
        int batch = int.Parse(Option("--batch") ?? "128");
        int hidden = int.Parse(Option("--hidden") ?? "400"), latent = int.Parse(Option("--latent") ?? "20");
        Console.WriteLine($"device {device}, GEMM {size}^3, VAE 784-{hidden}-{latent} batch {batch}: {steps} steps, an epoch over {(trainLimit > 0 ? trainLimit.ToString() : "all")} training images");
        Gemm(device, size);
        VaeStepAndEpoch(device, steps, trainLimit, batch, hidden, latent);
    }

    // Validate, then time: C = A·B on the device, 64 entries checked against a float64 dot product.
    private static void Gemm(Device device, int n)
    {
        var rng = new Random(1);
        float[] a = new float[n * n], b = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = (float)(rng.NextDouble() * 2 - 1); b[i] = (float)(rng.NextDouble() * 2 - 1); }
        var ta = Tensor.FromArray(a, n, n).To(device);
        var tb = Tensor.FromArray(b, n, n).To(device);
        var c = Tensor.MatMul(ta, tb).ToArray<float>();
        for (int s = 0; s < 64; s++)
        {
            int i = rng.Next(n), j = rng.Next(n);
            double expected = 0, magnitude = 0;
            for (int p = 0; p < n; p++) { expected += (double)a[i * n + p] * b[p * n + j]; magnitude += Math.Abs((double)a[i * n + p] * b[p * n + j]); }
            if (Math.Abs(c[i * n + j] - expected) > 1e-5 * Math.Sqrt(n) * magnitude + 1e-6)
                throw new InvalidOperationException($"device-quick: GEMM on {device} is wrong at C[{i}, {j}]: {c[i * n + j]} instead of {expected}");
        }

        // The GEMMs queue on the device's stream; reading one scalar of a sum waits for all of them.
        int reps = Math.Max(3, (int)Math.Min(50, 2e12 / (2.0 * n * n * n)));
        Tensor.MatMul(ta, tb).Sum().Item();
        var clock = Stopwatch.StartNew();
        Tensor last = ta;
        for (int r = 0; r < reps; r++) last = Tensor.MatMul(ta, tb);
        last.Sum().Item();
        double seconds = clock.Elapsed.TotalSeconds / reps;
        Console.WriteLine($"GEMM {n}x{n}x{n} on {device}: {seconds * 1e3:F3} ms, {2.0 * n * n * n / seconds / 1e9:F1} GFLOP/s (validated on 64 entries, {reps} calls)");
    }

    private static void VaeStepAndEpoch(Device device, int steps, int trainLimit, int batchSize, int hidden, int latent)
    {
        var data = DataSource.Load(DataSource.SampleDirectory());
        var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [hidden], LatentSize = latent } };
        var model = ModelFactory.Create(spec, new Rng(1));
        model.To(device);
        var options = new TrainOptions { Epochs = 1, BatchSize = batchSize, Seed = 1, Device = device, TrainLimit = trainLimit, TestLimit = 2 * batchSize };
        var trainer = new Trainer(model, new Adam(model.Parameters().ToList(), 1e-3), options);

        // One step as Trainer runs it, on a fixed batch; loss.Value reads the loss back, which
        // also waits for the device: each timed step is a whole, finished step.
        var context = new TrainingContext(new Rng(2));
        var batch = Enumerable.Range(0, batchSize).ToArray();
        var times = new double[steps];
        for (int s = -3; s < steps; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            double loss;
            using (TensorPool.Scope())
            {
                var x = Batches.Gather(data.Train, batch, model.Config.DType, device);
                trainer.Optimizer.ZeroGrad();
                var report = model.ComputeLoss(x, context);
                report.Total.Backward();
                trainer.Optimizer.Step();
                loss = report.Value;
            }
            if (!double.IsFinite(loss)) throw new InvalidOperationException($"device-quick: VAE step on {device} gave loss {loss}");
            if (s >= 0) times[s] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"VAE step (batch {batchSize}) on {device}: median {times[steps / 2]:F3} ms, fastest {times[0]:F3} ms over {steps} steps");

        var epoch = trainer.RunEpoch(data.Train.Take(trainLimit), data.Test.Take(options.TestLimit));
        Console.WriteLine($"VAE epoch on {device}: {epoch.Duration.TotalSeconds:F3} s ({epoch.SamplesPerSecond:F0} samples/s, train loss {epoch.TrainLoss:F2}, test loss {epoch.TestLoss:F2}; evaluation of {options.TestLimit} test images included)");
    }
}
