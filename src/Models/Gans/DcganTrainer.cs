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
public sealed class DcganTrainer : GanTrainer
{
    /// <summary>The "content" a DCGAN checkpoint declares, checked on load so another run's file is refused.</summary>
    public const string CheckpointContent = "scratch-dcgan";
    /// <inheritdoc/>
    public override string Content => CheckpointContent;
    /// <summary>G: z → image.</summary>
    public DcganGenerator Generator { get; }
    /// <summary>D: image → logit.</summary>
    public DcganDiscriminator Discriminator { get; }
    /// <summary>G's Adam.</summary>
    public Adam GeneratorOptimizer { get; }
    /// <summary>D's Adam.</summary>
    public Adam DiscriminatorOptimizer { get; }

    /// <summary>G and D of <paramref name="recipe"/>'s shape, initialised from its seed, to train on <paramref name="train"/>.</summary>
    public DcganTrainer(GanRecipe recipe, ImageSet train) : base(recipe, train, noiseSalt: 0x6A0_5EEDUL)
    {
        var init = new Rng(recipe.Seed);
        Generator = new DcganGenerator(recipe.Shape, init, recipe.DType);
        Discriminator = new DcganDiscriminator(recipe.Shape, init, recipe.DType);
        GeneratorOptimizer = Register("generator", Generator);
        DiscriminatorOptimizer = Register("discriminator", Discriminator);
    }

    /// <summary>One discriminator update, then one generator update, on the batch <paramref name="indices"/>.</summary>
    public override StepResult Step(int[] indices, StepInfo info)
    {
        using (TensorPool.Scope())
        {
            var real = RealBatch(indices, info);                                                            // (B, C·H·W)
            var z = Tensor.Randn([indices.Length, Recipe.Shape.LatentSize], Noise, Recipe.DType, Recipe.Device);   // (B, Z), drawn where the networks are
            var (d, g) = Step(real, z);
            return Record(info, ("discriminator", d), ("generator", g));
        }
    }

    /// <summary>
    /// The alternating update on a given batch: real (B, C·H·W) and noise z (B, Z), in the networks'
    /// dtype and on their device. Returns both losses; a non-finite one is returned before its
    /// backward pass (the generator's is NaN when D's already was). The golden test against
    /// TorchSharp calls this with fixed tensors in float64.
    /// </summary>
    public (double Discriminator, double Generator) Step(Tensor real, Tensor z)
    {
        int b = real.ShapeArray[0];
        var ones = Tensor.Ones([b, 1], real.DType, real.Device);
        var zeros = Tensor.Zeros([b, 1], real.DType, real.Device);

        var fake = Generator.Forward(z);                                            // (B, C·H·W)
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

    /// <summary>n images from the generator: z ~ N(0, I) → (n, C·H·W).</summary>
    public override Tensor Sample(int n, Rng rng) => Generator.Sample(n, rng);
}
