using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The variational autoencoder (Kingma &amp; Welling): the encoder gives a Gaussian q(z|x) = N(μ, σ²)
/// from one head split in two, z is sampled by reparameterization, and the loss is the negative
/// ELBO: reconstruction + β·KL(q(z|x) ‖ N(0, I)). A linear KL warm-up (β from 0 to its value over
/// the first epochs) keeps the KL from collapsing the posterior before the decoder learns.
/// <see cref="AutoencodingVae"/> is the same model with another objective.
/// </summary>
public class VariationalAutoencoder : Autoencoder
{
    /// <summary>β, the KL's weight after the warm-up (1: the plain ELBO; &gt; 1: β-VAE).</summary>
    public double Beta { get; }
    /// <summary>Epochs over which β rises linearly from 0 (0: none).</summary>
    public double WarmupEpochs { get; }

    /// <summary>A VAE on <paramref name="config"/>'s sizes; the encoder's head is 2·Latent wide (μ, log σ²).</summary>
    /// <exception cref="ArgumentException">β or the warm-up is negative, or the config is invalid.</exception>
    public VariationalAutoencoder(AutoencoderConfig config, Rng rng, double beta = 1.0, double warmupEpochs = 0)
        : base(config, rng, 2 * config.LatentSize)
    {
        if (!(beta >= 0) || !(warmupEpochs >= 0))
            throw new ArgumentException($"vae: beta {beta} and warm-up epochs {warmupEpochs} must be non-negative");
        Beta = beta;
        WarmupEpochs = warmupEpochs;
    }

    /// <summary>"vae".</summary>
    public override string Kind => "vae";

    /// <summary>q(z|x) = N(μ, σ²): x: (B, In) → μ: (B, Latent), log σ²: (B, Latent), the encoder's head split in two.</summary>
    public (Variable Mu, Variable LogVar) Posterior(Variable x)
    {
        var parts = Encoder.Forward(x).Split(1, Config.LatentSize, Config.LatentSize);
        return (parts[0], parts[1]);
    }

    /// <summary>The code of an image is the posterior mean μ.</summary>
    public override Variable Encode(Variable x) => Posterior(x).Mu;

    /// <summary>β at a point of training: linear from 0 to β over the warm-up epochs.</summary>
    public double BetaAt(double epochProgress) =>
        WarmupEpochs <= 0 ? Beta : Beta * Math.Min(1.0, epochProgress / WarmupEpochs);

    /// <summary>
    /// The negative ELBO per sample: reconstruction of z = μ + σ·ε (ε drawn from the context's RNG)
    /// summed over pixels, + β(t)·KL(N(μ, σ²) ‖ N(0, I)) summed over latents, averaged over the
    /// batch x: (B, In); terms "reconstruction" and "kl" (the KL before β).
    /// </summary>
    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var (mu, logVar) = Posterior(x);
        var z = Losses.Reparameterize(mu, logVar, context.Rng);
        var reconstruction = ReconstructionLoss(Decode(z), x);
        var kl = Losses.KlStandardNormal(mu, logVar) / x.Size(0);
        double beta = BetaAt(context.EpochProgress);
        var total = reconstruction + kl * beta;
        return new LossReport(total, [("reconstruction", reconstruction), ("kl", kl)]);
    }

    /// <summary>n new digits from the prior: decode z ~ N(0, I). → (n, In) in [0, 1].</summary>
    public Tensor Sample(int n, Rng rng)
    {
        using (NoGrad.Scope())
        using (EvalScope())
        {
            var device = Parameters().First().Device;
            var z = Tensor.Randn([n, Config.LatentSize], rng, Config.DType, device);
            return ToPixels(Decode(z).Data);
        }
    }
}
