using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Models.Gans;

/// <summary>
/// How the GANs are trained: Adam with DCGAN's settings (lr 2e-4, β₁ 0.5, β₂ 0.999), batches of
/// 64, the shape of the networks, and for the VAE-GAN the weight γ of the feature-space
/// reconstruction in the decoder's loss.
/// </summary>
public sealed record GanRecipe
{
    /// <summary>The networks' latent width and base channel count (Z 64, f 16).</summary>
    public GanShape Shape { get; init; } = new();
    /// <summary>Passes over the training digits (15).</summary>
    public int Epochs { get; init; } = 15;
    /// <summary>Real images per step (64, DCGAN's); the same number of fakes is drawn.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Adam's lr for every network (2e-4, DCGAN's).</summary>
    public double LearningRate { get; init; } = 2e-4;
    /// <summary>Adam's β₁ (0.5, DCGAN's: 0.9 made training oscillate in the paper).</summary>
    public double Beta1 { get; init; } = 0.5;
    /// <summary>Adam's β₂ (0.999).</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>Seeds the initial weights, the batch order and the noise.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Where the networks train; the latent noise is drawn there by the engine's counter-based normal sampler (Philox), which gives the same draws for a seed on every device.</summary>
    public Device Device { get; init; } = Device.Cpu;
    /// <summary>The networks' and batches' dtype: Float32 to train; Float64 for the golden test against TorchSharp.</summary>
    public DType DType { get; init; } = DType.Float32;
    /// <summary>Use only the first N training digits (0 = all).</summary>
    public int TrainLimit { get; init; }
    /// <summary>VAE-GAN: the decoder minimises γ·L_llike + L_GAN (Larsen et al. 2016, §2.2).</summary>
    public double Gamma { get; init; } = 1e-2;

    /// <summary>The shared loop's recipe: these epochs, batch size and seed, with the last incomplete batch dropped.</summary>
    // BatchNorm needs two samples per channel, so a lone last sample would stop training: dropped.
    public LoopOptions LoopOptions => new(Epochs, BatchSize, Seed, DropLast: true);

    /// <summary>The paper's optimizer for one network: Adam with this recipe's lr and betas.</summary>
    public Adam NewAdam(Module network) => new(network.Parameters(), LearningRate, Beta1, Beta2);

    /// <summary>The learning-rate schedule of each network's Adam: constant, as Radford et al. and Larsen et al. train.</summary>
    public LrScheduler NewScheduler(Adam adam) => new ConstantLR(adam);

    /// <summary>The digits the GANs train on: the first <see cref="TrainLimit"/> of <paramref name="data"/>'s training split (all when 0).</summary>
    public ImageSet TrainingDigits(ImageDataset data) => data.Train.Take(TrainLimit);
}

/// <summary>The losses of one training step, kept for the loss curves of the report.</summary>
public readonly record struct StepLosses(int Epoch, int Step, IReadOnlyList<(string Name, double Value)> Terms);
