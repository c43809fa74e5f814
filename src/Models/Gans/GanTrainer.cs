using Scratch.Models.Data;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Gans;

/// <summary>
/// What the GAN trainers share: their networks, each with its own Adam and learning-rate scheduler,
/// the stream of latent draws, the <see cref="TrainingLoop"/> (epochs done, history) and the
/// per-step losses. A subclass builds its networks (in the order they draw from the initialisation
/// RNG), registers them, and writes its step. On the CPU with the same thread count, restoring all
/// of this (<see cref="GanCheckpoint"/>) continues a run bitwise: the batch order depends only on
/// (seed, epoch), and everything else random comes from <see cref="Noise"/>.
/// </summary>
public abstract class GanTrainer
{
    private readonly List<(string Name, Module Network, Adam Optimizer)> _networks = [];

    /// <summary>A trainer of <paramref name="recipe"/> on <paramref name="train"/>; <paramref name="noiseSalt"/> sets its noise stream apart from the initialisation's.</summary>
    /// <exception cref="ArgumentException">The images are not of the recipe's shape (the message names both).</exception>
    protected GanTrainer(GanRecipe recipe, ImageSet train, ulong noiseSalt)
    {
        if (train.Shape != recipe.Shape.Image)
            throw new ArgumentException($"the GAN is built for {recipe.Shape.Image} images ({recipe.Shape.Image.Pixels} values) but its training set holds {train.Shape} images ({train.PixelsPerImage} values)");
        Recipe = recipe;
        Train = train;
        Loop = new TrainingLoop(recipe.LoopOptions);
        Noise = new Rng(recipe.Seed ^ noiseSalt);
    }

    private BatchPrefetcher? _prefetcher;

    /// <summary>
    /// The real images of a step, (B, P) on the recipe's device and dtype: converted from bytes on a
    /// thread-pool thread while the previous step computed (<see cref="BatchPrefetcher"/>); the time
    /// the step waits for them runs on the loop's <see cref="TrainingLoop.DataClock"/>.
    /// </summary>
    protected Tensor RealBatch(int[] indices, StepInfo info)
    {
        _prefetcher ??= new BatchPrefetcher(Train);
        Loop.DataClock.Start();
        var floats = _prefetcher.Take(indices);
        _prefetcher.Prefetch(info.Next);
        var batch = Batches.Gather(floats, indices.Length, Train.PixelsPerImage, Recipe.DType, Recipe.Device);
        BatchPrefetcher.Return(floats);
        Loop.DataClock.Stop();
        return batch;
    }

    /// <summary>The checkpoint's "content": "scratch-dcgan" or "scratch-vae-gan".</summary>
    public abstract string Content { get; }

    /// <summary>n new images from the generator's prior z ~ N(0, I), in eval mode: (n, pixels), values in (0, 1).</summary>
    public abstract Tensor Sample(int n, Rng rng);
    /// <summary>The recipe every checkpoint of this run must share.</summary>
    public GanRecipe Recipe { get; }
    /// <summary>The training images.</summary>
    protected ImageSet Train { get; }
    /// <summary>("generator", G, G's Adam), …: the names prefix the tensors in the checkpoint.</summary>
    public IReadOnlyList<(string Name, Module Network, Adam Optimizer)> Networks => _networks;
    /// <summary>The stream of latent draws (z, ε).</summary>
    public Rng Noise { get; }
    /// <summary>Epochs done, history and the schedulers.</summary>
    public TrainingLoop Loop { get; }
    /// <summary>Every step's losses, in order.</summary>
    public List<StepLosses> Steps { get; } = [];

    /// <summary>Moves <paramref name="network"/> to the recipe's device and gives it an Adam and the recipe's scheduler.</summary>
    protected Adam Register(string name, Module network)
    {
        network.To(Recipe.Device);
        var adam = Recipe.NewAdam(network);
        _networks.Add((name, network, adam));
        Loop.Schedulers.Add(Recipe.NewScheduler(adam));
        return adam;
    }

    /// <summary>Trains until the recipe's epoch count (from <see cref="TrainingLoop.EpochsDone"/>: a restored run continues).</summary>
    public IReadOnlyList<EpochResult> Fit(Action<StepProgress>? onStep = null, Action<EpochResult>? onEpoch = null)
    {
        (Loop.OnStep, Loop.OnEpoch) = (onStep, onEpoch);
        return Loop.Fit(Train.Count, Step);
    }

    /// <summary>One update of every network on the batch <paramref name="indices"/>.</summary>
    public abstract StepResult Step(int[] indices, StepInfo info);

    /// <summary>Keeps the step's losses for the curves and reports them to the loop.</summary>
    protected StepResult Record(StepInfo info, params (string Name, double Value)[] terms)
    {
        Steps.Add(new StepLosses(info.Epoch, info.Step, terms));
        return StepResult.Of(terms);
    }
}
