using Scratch.Autograd;
using Scratch.Kernels;
using Scratch.Models.Autoencoders;
using Scratch.Models.Optim;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// `conv-profile [threads]`: where the time of one Scratch conv VAE training step goes, op by op
/// (Scratch.Autograd.Profiler, wall time, forward and backward separately), so the part outside the
/// four convolutions — BatchNorm, LeakyReLU, bias gradients, the loss — shows by name.
/// </summary>
public static class ConvStepProfile
{
    public static void Run(int threads = 1, int steps = 30)
    {
        var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { Architecture = Architecture.Conv } };
        var model = ModelFactory.Create(spec, new Rng(1));
        var adam = new Adam(model.Parameters(), 1e-3);
        var context = new TrainingContext(new Rng(2));
        var train = Sample.Mnist.Train;
        var x = Scratch.Tensor.FromArray(train.ToFloats(0, ConvPair.Batch), ConvPair.Batch, train.PixelsPerImage);
        using (CpuThreads.Use(threads))
        {
            for (int s = 0; s < 3; s++) Step(model, adam, context, x);   // warm-up: JIT and the tensor pool
            using (Profiler.Scope())
                for (int s = 0; s < steps; s++) Step(model, adam, context, x);
        }
        double total = Profiler.Results.Sum(r => r.Milliseconds);
        Console.WriteLine($"Scratch conv VAE step, batch {ConvPair.Batch}, {threads} thread(s): ops by Scratch.Autograd.Profiler " +
                          $"(wall time, mean over {steps} steps; Adam is not an op), {total / steps:F2} ms per step in ops");
        Console.WriteLine("| op | ms per step | share |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (op, ms, _) in Profiler.Results.Take(24))
            Console.WriteLine($"| {op} | {ms / steps:F3} | {ms / total:P1} |");
    }

    private static void Step(Autoencoder model, Adam adam, TrainingContext context, Scratch.Tensor x)
    {
        using var scope = TensorPool.Scope();
        adam.ZeroGrad();
        var loss = model.ComputeLoss(x, context);
        _ = loss.Value;
        loss.Total.Backward();
        adam.Step();
    }
}
