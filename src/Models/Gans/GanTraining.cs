using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Gans;

/// <summary>
/// What a GAN trainer's run consists of, for <see cref="GanCheckpoint"/>: its networks, each with its
/// own Adam, the noise generator, the loop (epochs done, history) and the per-step losses. On the
/// CPU with the same thread count, restoring all of it continues a run bitwise: the batch order
/// depends only on (seed, epoch), and everything else random comes from <see cref="Noise"/>.
/// </summary>
public interface IGanTraining
{
    /// <summary>The checkpoint's "content": "scratch-dcgan" or "scratch-vae-gan".</summary>
    string Content { get; }
    GanRecipe Recipe { get; }
    /// <summary>("generator", G, G's Adam), …: the names prefix the tensors in the file.</summary>
    IReadOnlyList<(string Name, Module Network, Adam Optimizer)> Networks { get; }
    /// <summary>The stream of latent draws (z, ε).</summary>
    Rng Noise { get; }
    TrainingLoop Loop { get; }
    List<StepLosses> Steps { get; }
    /// <summary>Trains until the recipe's epoch count (from <see cref="TrainingLoop.EpochsDone"/>: a restored run continues).</summary>
    IReadOnlyList<LoopEpoch> Fit(Action<StepProgress>? onStep = null, Action<LoopEpoch>? onEpoch = null);
}
