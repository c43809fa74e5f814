using Scratch.Autograd;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Gans;

/// <summary>
/// DCGAN trained with the non-saturating loss (Goodfellow et al. 2014, §3) on logits, as
/// alternating updates in one step of the shared <see cref="TrainingLoop"/>:
/// <code>
///   D: minimise BCE(D(x), 1) + BCE(D(G(z)), 0)        (G(z) detached: only D moves)
///   G: minimise BCE(D(G(z)), 1) = −log σ(D(G(z)))     (not log(1 − σ(D(G(z)))), which saturates when D wins)
/// </code>
/// on logits through the fused, stable BCE. A non-finite loss is reported before the backward
/// pass, so the loop stops with the epoch and step and the networks keep their last finite weights.
/// </summary>
public sealed class DcganTrainer : IGanTraining
{
    public const string CheckpointContent = "scratch-dcgan";
    public GanRecipe Recipe { get; }
    public DcganGenerator Generator { get; }
    public DcganDiscriminator Discriminator { get; }
    public Adam GeneratorOptimizer { get; }
    public Adam DiscriminatorOptimizer { get; }
    public TrainingLoop Loop { get; }
    public List<StepLosses> Steps { get; } = [];

    private readonly MnistSplit _train;
    // The latent noise: a stream apart from the initialisation's.
    private readonly Rng _noise;

    public DcganTrainer(GanRecipe recipe, MnistSplit train)
    {
        Recipe = recipe;
        _train = train;
        var init = new Rng(recipe.Seed);
        Generator = new DcganGenerator(recipe.Shape, init, recipe.DType);
        Discriminator = new DcganDiscriminator(recipe.Shape, init, recipe.DType);
        Generator.To(recipe.Device);
        Discriminator.To(recipe.Device);
        GeneratorOptimizer = recipe.NewAdam(Generator);
        DiscriminatorOptimizer = recipe.NewAdam(Discriminator);
        Loop = new TrainingLoop(train.Count, recipe.LoopOptions);
        _noise = new Rng(recipe.Seed ^ 0x6A0_5EEDUL);
    }

    string IGanTraining.Content => CheckpointContent;
    IReadOnlyList<(string Name, Nn.Module Network, Adam Optimizer)> IGanTraining.Networks =>
        [("generator", Generator, GeneratorOptimizer), ("discriminator", Discriminator, DiscriminatorOptimizer)];
    Rng IGanTraining.Noise => _noise;

    public IReadOnlyList<LoopEpoch> Fit(Action<StepProgress>? onStep = null, Action<LoopEpoch>? onEpoch = null)
    {
        Loop.OnStep = onStep;
        Loop.OnEpoch = onEpoch;
        return Loop.Fit(Step);
    }

    /// <summary>One discriminator update, then one generator update, on the batch <paramref name="indices"/>.</summary>
    public StepResult Step(int[] indices, StepInfo info)
    {
        using (TensorPool.Scope())
        {
            var real = Batches.Gather(_train, indices, Recipe.DType, Recipe.Device);                         // (B, 784)
            var z = Tensor.Randn([indices.Length, Recipe.Shape.LatentSize], _noise, Recipe.DType).To(Recipe.Device);   // (B, Z)
            var (d, g) = Step(real, z);
            return Record(info, d, g);
        }
    }

    /// <summary>
    /// The alternating update on a given batch: real (B, 784) and noise z (B, Z), in the networks'
    /// dtype and on their device. Returns both losses; a non-finite one is returned before its
    /// backward pass (the generator's is NaN when D's already was). The golden test against
    /// TorchSharp calls this with fixed tensors in float64.
    /// </summary>
    public (double Discriminator, double Generator) Step(Tensor real, Tensor z)
    {
        int b = real.ShapeArray[0];
        var ones = Tensor.Ones([b, 1], real.DType, real.Device);
        var zeros = Tensor.Zeros([b, 1], real.DType, real.Device);

        var fake = Generator.Forward(z);                                            // (B, 784)
        DiscriminatorOptimizer.ZeroGrad();
        var dLoss = Losses.BceWithLogits(Discriminator.Forward(real), ones)
                  + Losses.BceWithLogits(Discriminator.Forward(fake.Detach()), zeros);
        double d = dLoss.Item();
        if (!double.IsFinite(d)) return (d, double.NaN);
        dLoss.Backward();
        DiscriminatorOptimizer.Step();

        // The generator's loss goes through the just-updated D; D's gradients from it are
        // cleared by the next step's ZeroGrad, so only G moves here.
        GeneratorOptimizer.ZeroGrad();
        var gLoss = Losses.BceWithLogits(Discriminator.Forward(fake), ones);
        double g = gLoss.Item();
        if (!double.IsFinite(g)) return (d, g);
        gLoss.Backward();
        GeneratorOptimizer.Step();
        return (d, g);
    }

    private StepResult Record(StepInfo info, double d, double g)
    {
        (string, double)[] terms = [("discriminator", d), ("generator", g)];
        Steps.Add(new StepLosses(info.Epoch, info.Step, terms));
        return StepResult.Of(terms);
    }
}
