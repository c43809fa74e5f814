using Scratch.Autograd;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Gans;

/// <summary>
/// The VAE-GAN of Larsen et al. (2016, "Autoencoding beyond pixels using a learned similarity
/// metric"): a VAE whose decoder is the GAN's generator, and whose reconstruction error is
/// measured in the discriminator's last hidden layer Dis_l instead of in pixels. One step:
/// <code>
///   z = μ(x) + σ(x)·ε,  x̃ = Dec(z),  x_p = Dec(z_p), z_p ~ N(0, I)
///   L_prior = KL(q(z|x) ‖ N(0, I))                      per sample
///   L_llike = ½‖Dis_l(x̃) − Dis_l(x)‖²                   per sample (a Gaussian in Dis_l's space)
///   L_GAN^D = BCE(D(x), 1) + BCE(D(x̃), 0) + BCE(D(x_p), 0)
///   Enc: minimise L_prior + L_llike      Dec: minimise γ·L_llike + L_GAN^G      Dis: minimise L_GAN^D
/// </code>
/// with L_GAN^G = BCE(D(x̃), 1) + BCE(D(x_p), 1), the non-saturating form of −L_GAN the paper's
/// code uses too. The three networks move with three Adam optimizers, as the paper's Algorithm 1.
/// </summary>
/// <remarks>
/// Encoder and decoder minimise different losses over one shared graph, so the step runs two
/// backward passes: the encoder's (graph retained), its update, then the decoder's after clearing
/// the decoder's gradients. The second pass also reaches the encoder, whose gradients are simply
/// dropped by the next step's ZeroGrad; the decoder's gradients only need the decoder's weights and
/// the saved activations, which the encoder's update does not touch.
/// </remarks>
public sealed class VaeGanTrainer : GanTrainer
{
    /// <summary>The "content" a VAE-GAN checkpoint declares, checked on load so another run's file is refused.</summary>
    public const string CheckpointContent = "scratch-vae-gan";
    /// <inheritdoc/>
    public override string Content => CheckpointContent;
    /// <summary>Enc: image → (μ, log σ²).</summary>
    public VaeGanEncoder Encoder { get; }
    /// <summary>Dec: z → image, the GAN's generator.</summary>
    public DcganGenerator Decoder { get; }
    /// <summary>Dis: image → logit, with the hidden layer Dis_l of the learned similarity.</summary>
    public DcganDiscriminator Discriminator { get; }

    private readonly Adam _encoderOptimizer, _decoderOptimizer, _discriminatorOptimizer;

    /// <summary>The three networks of <paramref name="recipe"/>'s shape, initialised from its seed, to train on <paramref name="train"/>.</summary>
    public VaeGanTrainer(GanRecipe recipe, ImageSet train) : base(recipe, train, noiseSalt: 0x7AE_6A05UL)
    {
        var init = new Rng(recipe.Seed);
        Encoder = new VaeGanEncoder(recipe.Shape, init, recipe.DType);
        Decoder = new DcganGenerator(recipe.Shape, init, recipe.DType);
        Discriminator = new DcganDiscriminator(recipe.Shape, init, recipe.DType);
        _encoderOptimizer = Register("encoder", Encoder);
        _decoderOptimizer = Register("decoder", Decoder);
        _discriminatorOptimizer = Register("discriminator", Discriminator);
    }

    /// <inheritdoc/>
    public override StepResult Step(int[] indices, StepInfo info)
    {
        using (TensorPool.Scope())
        {
            int b = indices.Length, latent = Recipe.Shape.LatentSize;
            var device = Recipe.Device;
            var dtype = Recipe.DType;
            var x = RealBatch(indices, info);                                            // (B, C·H·W)
            var ones = Tensor.Ones([b, 1], dtype, device);
            var zeros = Tensor.Zeros([b, 1], dtype, device);

            var (mu, logVar) = Encoder.Posterior(x);                                     // (B, Z) each
            var reconstruction = Decoder.Forward(Losses.Reparameterize(mu, logVar, Noise)); // x̃: (B, C·H·W)
            var prior = Decoder.Forward(Tensor.Randn([b, latent], Noise, dtype, device));    // x_p: (B, C·H·W), z drawn on the device

            // Discriminator: real against both kinds of fakes (detached: only D moves).
            _discriminatorOptimizer.ZeroGrad();
            var dLoss = Losses.BceWithLogits(Discriminator.Forward(x), ones)
                      + Losses.BceWithLogits(Discriminator.Forward(reconstruction.Detach()), zeros)
                      + Losses.BceWithLogits(Discriminator.Forward(prior.Detach()), zeros);
            double d = dLoss.Item();
            if (!double.IsFinite(d)) return Record(info, ("discriminator", d), ("generator", double.NaN), ("llike", double.NaN), ("kl", double.NaN));
            dLoss.Backward();
            _discriminatorOptimizer.Step();

            // Dis_l(x) is the target of the learned similarity: a constant, as the data.
            Tensor target;
            using (NoGrad.Scope()) target = Discriminator.Hidden(x).Data;                 // (B, 98f)
            var (hidden, logits) = Discriminator.HiddenAndLogits(reconstruction);
            var llike = Losses.Mse(hidden, target, Reduction.Sum) * (0.5 / b);
            var kl = Losses.KlStandardNormal(mu, logVar) / b;
            var ganG = Losses.BceWithLogits(logits, ones) + Losses.BceWithLogits(Discriminator.Forward(prior), ones);
            var read = Scalars.ReadTogether(llike.Data, kl.Data, ganG.Data);             // one read for the three
            double l = read[0], k = read[1], g = read[2];
            if (!double.IsFinite(l + k + g)) return Record(info, ("discriminator", d), ("generator", g), ("llike", l), ("kl", k));

            _encoderOptimizer.ZeroGrad();
            _decoderOptimizer.ZeroGrad();
            var encoderLoss = kl + llike;
            encoderLoss.Backward(Tensor.OnesLike(encoderLoss.Data), retainGraph: true);
            _encoderOptimizer.Step();
            _decoderOptimizer.ZeroGrad();
            (llike * Recipe.Gamma + ganG).Backward();
            _decoderOptimizer.Step();
            return Record(info, ("discriminator", d), ("generator", g), ("llike", l), ("kl", k));
        }
    }

    /// <summary>n images decoded from the prior z ~ N(0, I): (n, C·H·W).</summary>
    public override Tensor Sample(int n, Rng rng) => Decoder.Sample(n, rng);
}
