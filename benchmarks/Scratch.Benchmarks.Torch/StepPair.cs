using Scratch.Kernels;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// One training step — zero the gradients, forward, loss, backward, Adam — of one autoencoder
/// variant in both engines: 784-400-20 (the VAE of pytorch/examples; other variants the same sizes),
/// Adam 1e-3, batch 128 of real digits, the TorchSharp model starting from Scratch's initial weights.
/// </summary>
public sealed class StepPair
{
    public const int BatchSize = 128;

    private readonly Autoencoder _model;
    private readonly Adam _adam;
    private readonly TrainingContext _context;
    private readonly Scratch.Tensor _x;

    private readonly TorchAutoencoder _twin;
    private readonly torch.optim.Optimizer _torchAdam;
    private readonly torch.Tensor _tx;

    public string Kind => _model.Kind;
    public Autoencoder Model => _model;
    public TorchAutoencoder Twin => _twin;
    public TrainingContext Context => _context;

    public StepPair(string kind, ImageSet images, ulong seed = 1) : this(new ModelSpec { Kind = kind }, images, seed) { }

    public StepPair(ModelSpec spec, ImageSet images, ulong seed = 1)
    {
        _model = ModelFactory.Create(spec, new Rng(seed));
        _adam = new Adam(_model.Parameters(), learningRate: 1e-3);
        _context = new TrainingContext(new Rng(seed + 1));
        var batch = images.ToFloats(0, BatchSize);
        _x = Scratch.Tensor.FromArray(batch, BatchSize, images.PixelsPerImage);

        _twin = new TorchAutoencoder(_model);
        _torchAdam = torch.optim.Adam(_twin.Parameters, lr: 1e-3);
        _tx = TorchRuntime.FromArray(batch, BatchSize, images.PixelsPerImage);
        torch.manual_seed((long)seed);
    }

    /// <summary>
    /// Scratch's step, as Trainer does it (without gathering the batch): inside a TensorPool scope,
    /// so the step's tensors go back to the pool at its end. Returns the loss.
    /// </summary>
    public double StepScratch()
    {
        using (TensorPool.Scope())
            return StepScratchOn(_x);
    }

    /// <summary>The same on another batch x: (B, In); the caller opens the TensorPool scope.</summary>
    public double StepScratchOn(Scratch.Tensor x)
    {
        _adam.ZeroGrad();
        var loss = _model.ComputeLoss(x, _context);
        double value = loss.Value;
        loss.Total.Backward();
        _adam.Step();
        return value;
    }

    /// <summary>TorchSharp's step, idiomatic: a dispose scope frees the step's tensors. Returns the loss.</summary>
    public double StepTorch(torch.Tensor? noise = null) => StepTorchOn(_tx, noise);

    /// <summary>The same on another batch x: (B, In).</summary>
    public double StepTorchOn(torch.Tensor x, torch.Tensor? noise = null)
    {
        using var scope = torch.NewDisposeScope();
        _torchAdam.zero_grad();
        var loss = _twin.Loss(x, noise);
        loss.backward();
        _torchAdam.step();
        return loss.item<float>();
    }

    /// <summary>
    /// Two steps in both engines with the same random draws (Scratch's, copied into torch): the
    /// first loss checks forward and the initial weights, the second checks backward and Adam.
    /// Throws unless both agree to 1e-4 relative. Returns the two pairs of losses.
    /// </summary>
    public (double Scratch, double Torch)[] Validate(int threads)
    {
        var losses = new (double, double)[2];
        TorchRuntime.UseThreads(threads);
        using (CpuThreads.Use(threads))
            for (int step = 0; step < losses.Length; step++)
            {
                using var noise = ScratchNoise();
                double s = StepScratch();
                double t = StepTorch(noise);
                losses[step] = (s, t);
                if (!(Math.Abs(s - t) <= 1e-4 * Math.Abs(t)))
                    throw new InvalidOperationException(
                        $"{Kind} step {step + 1}, {threads} thread(s): Scratch loss {s:R}, TorchSharp {t:R} — the engines disagree.");
            }
        return losses;
    }

    // The draws Scratch's next ComputeLoss will make, replayed from a copy of its RNG state.
    private torch.Tensor? ScratchNoise()
    {
        var replay = new Rng(1) { State = _context.Rng.State };
        int[]? shape = _model switch
        {
            VariationalAutoencoder vae => [BatchSize, vae.Config.LatentSize],
            DenoisingAutoencoder { Corruption: Models.Autoencoders.Corruption.Gaussian } => _x.ShapeArray,
            DenoisingAutoencoder => throw new NotSupportedException("masking noise has no torch replay here"),
            _ => null,
        };
        if (shape is null) return null;
        var draws = Scratch.Tensor.Randn(shape, replay).ToArray<float>();
        return TorchRuntime.FromArray(draws, [.. shape.Select(d => (long)d)]);
    }
}
