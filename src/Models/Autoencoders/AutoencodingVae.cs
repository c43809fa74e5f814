using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The autoencoding variational autoencoder (AVAE; Cemgil, Ghaisas, Dvijotham, Gowal, Kohli,
/// "The Autoencoding Variational Autoencoder", NeurIPS 2020, arXiv 2012.03715): a VAE whose encoder
/// is also trained to encode consistently what its own decoder generates. The chain
/// x → z ~ q(z|x) → x_aux = decoder(z) → z_aux ~ q(z_aux|x_aux) is tied by a Gaussian coupling
/// p(z_aux | z) = N(ρ·z, (1 − ρ²)·I), so a code re-encoded from its own decoding must land near
/// ρ·z. Same encoder, decoder and weights as <see cref="VariationalAutoencoder"/> (a VAE checkpoint
/// loads into it); only the objective differs.
/// </summary>
/// <remarks>
/// <para>
/// The objective is the authors' released code, deepmind-research <c>avae/vae.py</c>,
/// <c>VAE.avae_elbo</c> (line numbers below are that file's at commit 3f0d5ed). The paper's full
/// text was not at hand when this was written, so its equation numbers are not cited; each term
/// names the code lines it follows. Loss per sample, averaged over the batch (the code's loss is
/// −mean(elbo), <c>train.py</c>):
/// <code>
/// loss = reconstruction + β·KL(q(z|x) ‖ N(0, I)) − ⟨log p(z_aux | z)⟩ − H[q(z_aux | x_aux)]
/// </code>
/// </para>
/// <para>
/// Two departures, both deliberate. (1) The data-fidelity term is the config's
/// <see cref="Autoencoders.ReconstructionLoss"/> (BCE on logits by default), as for every Scratch autoencoder;
/// the released code scores ColorMnist with a Gaussian of variance obs_var = 0.5 on sigmoid outputs
/// (<c>decoders.py</c>, <c>DecoderBase.data_fidelity</c>). The aux images are the decoder's pixels
/// (sigmoid of the logits), as the code's decoder outputs sigmoid pixels. (2) z is μ + σ·ε, the
/// reparameterization of N(μ, σ²), whose entropy and moments the terms below use; the released
/// <c>ColorMnistMLPEncoder.sample</c> writes μ + ε·σ² (the variance, not the standard deviation).
/// </para>
/// <para>
/// β (default 1, the code's objective) and its warm-up are the VAE's; the code has neither.
/// </para>
/// </remarks>
public sealed class AutoencodingVae : VariationalAutoencoder
{
    /// <summary>ρ of the authors' README run (<c>--rho=0.975</c>; their flag's default is 0.8).</summary>
    public const double DefaultRho = 0.975;

    /// <summary>ρ ∈ (0, 1): the correlation of a code z and its re-encoding z_aux in the coupling p(z_aux | z) = N(ρz, (1 − ρ²)I).</summary>
    public double Rho { get; }

    /// <summary>
    /// True for the post-processing mode: training updates the encoder only, on images the decoder
    /// generates from z ~ N(0, I), never on training data (see <see cref="SelfSupervisedLoss"/>).
    /// </summary>
    public bool PostProcessing { get; }

    /// <summary>An AVAE on <paramref name="config"/>'s sizes; weights drawn from <paramref name="rng"/> exactly as a VAE's.</summary>
    /// <exception cref="ArgumentException">ρ is not in (0, 1), β or the warm-up is negative, or the config is invalid.</exception>
    public AutoencodingVae(AutoencoderConfig config, Rng rng, double rho = DefaultRho, double beta = 1.0, double warmupEpochs = 0, bool postProcessing = false)
        : base(config, rng, beta, warmupEpochs)
    {
        if (!(rho > 0 && rho < 1))
            throw new ArgumentException($"avae: rho {rho} must be in (0, 1)");
        Rho = rho;
        PostProcessing = postProcessing;
    }

    /// <summary>
    /// The post-processing start: an AVAE on <paramref name="vae"/>'s config holding a copy of its
    /// weights and BatchNorm statistics, in the post-processing mode (encoder trained, decoder kept),
    /// on the CPU. The VAE itself is not changed.
    /// </summary>
    /// <exception cref="ArgumentException">ρ is not in (0, 1), or β or the warm-up is negative.</exception>
    public static AutoencodingVae PostProcess(VariationalAutoencoder vae, double rho = DefaultRho, double beta = 1.0, double warmupEpochs = 0)
    {
        // The weights drawn here are all overwritten by the VAE's.
        var avae = new AutoencodingVae(vae.Config, new Rng(1), rho, beta, warmupEpochs, postProcessing: true);
        avae.LoadStateDict(vae.StateDict());
        return avae;
    }

    /// <summary>"avae".</summary>
    public override string Kind => "avae";

    /// <summary>The encoder's parameters when post-processing (the trained VAE's decoder is the generative model and stays as it is); otherwise all.</summary>
    public override IEnumerable<Variable> TrainableParameters() => PostProcessing ? Encoder.Parameters() : Parameters();

    /// <summary>
    /// The objective on a batch x: (B, In), ε drawn from the context's RNG. In the post-processing
    /// mode, while training, x only sets the batch size: the images are the decoder's own, from
    /// z ~ N(0, I) drawn first (<see cref="SelfSupervisedLoss"/>). In eval mode the objective is
    /// always measured on the given images, so a post-processed model's test loss is comparable
    /// with the VAE's and the AVAE's.
    /// </summary>
    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        int batch = x.Size(0);
        double beta = BetaAt(context.EpochProgress);
        if (PostProcessing && IsTraining)
        {
            var prior = Tensor.Randn([batch, Config.LatentSize], context.Rng, x.DType, x.Device);
            var epsilon = Tensor.Randn([batch, Config.LatentSize], context.Rng, x.DType, x.Device);
            return SelfSupervisedLoss(prior, epsilon, beta);
        }
        return Loss(x, Tensor.Randn([batch, Config.LatentSize], context.Rng, x.DType, x.Device), beta);
    }

    /// <summary>
    /// The AVAE objective (<c>avae_elbo</c>) on images x: (B, In) with the given ε: (B, Latent);
    /// terms "reconstruction", "kl" (before β), "conditional" (−⟨log p(z_aux | z)⟩) and "entropy"
    /// (H[q(z_aux | x_aux)], subtracted), each per sample.
    /// </summary>
    public LossReport Loss(Tensor x, Tensor epsilon, double beta = 1.0)
    {
        int batch = x.Size(0);
        // vae.py 84–90: the posterior of x, z = μ + σ·ε, KL to N(0, I), the data fidelity.
        var (mu, logVar) = Posterior(x);                                      // (B, Latent) each
        var z = Losses.Reparameterize(mu, logVar, epsilon);                   // (B, Latent)
        var logits = Decode(z);                                               // (B, In)
        var reconstruction = ReconstructionLoss(logits, x);
        var kl = Losses.KlStandardNormal(mu, logVar) / batch;
        // vae.py 82: aux_images = stop_gradient(self(x, key)) decodes the same key's sample, so the
        // same z: the decoder's pixels of these logits, with no gradient (a constant tensor).
        var auxImages = ToPixels(logits.Data);                                // (B, In)
        // vae.py 92: the aux posterior; gradients reach the encoder through it, never the decoder.
        // A conv encoder's BatchNorm sees two batches a step (x, then the aux images), each
        // normalised by its own statistics, as two calls of a torch module in train mode would.
        var (muAux, logVarAux) = Posterior(auxImages);                       // (B, Latent) each
        var (conditional, entropy) = SelfConsistency(mu, logVar, muAux, logVarAux, Rho);
        var total = reconstruction + kl * beta + conditional - entropy;
        return new LossReport(total, [("reconstruction", reconstruction), ("kl", kl), ("conditional", conditional), ("entropy", entropy)]);
    }

    /// <summary>
    /// The post-processing objective: <see cref="Loss"/> on the decoder's own images of
    /// z₀ = <paramref name="prior"/>: (B, Latent), z₀ ~ N(0, I), with the decoder in eval mode
    /// (its BatchNorm statistics are the trained VAE's and stay so) and, through
    /// <see cref="TrainableParameters"/>, only the encoder trained.
    /// </summary>
    /// <remarks>
    /// The paper's abstract says the method can post-process an already trained VAE "without access
    /// to the original training data"; the released code has no such mode (<c>train_main.py</c>
    /// trains vae or avae on data), so this is built from that description: the data distribution is
    /// replaced by the model's own, x = decoder(z₀) (the mean image, as the aux images are), and the
    /// whole AVAE objective is kept. The ELBO terms stay because the self-consistency terms alone ask
    /// nothing of the code about the image: a constant encoder (μ = 0 for every image) meets
    /// μ_aux = ρμ exactly and is among their maximisers. It is the ELBO on generated images that asks
    /// the encoder to invert the decoder, and the coupling that asks it to do so consistently along
    /// the chain. The decoder's gradients are still computed; no optimizer holds its parameters.
    /// </remarks>
    public LossReport SelfSupervisedLoss(Tensor prior, Tensor epsilon, double beta = 1.0)
    {
        using (EvalScope(Decoder))
        {
            Tensor images;
            using (NoGrad.Scope())
                images = ToPixels(Decode(prior).Data);                        // (B, In): x ~ the model, no graph
            return Loss(images, epsilon, beta);
        }
    }

    /// <summary>
    /// The self-consistency terms of <c>avae_elbo</c> (vae.py 92–113) from the posterior of x, N(μ, σ²),
    /// and that of the aux images, N(μ_aux, σ_aux²), all (B, Latent) with log-variances; each is
    /// summed over the latents and averaged over the batch.
    /// <para>Conditional: −⟨log p(z_aux | z)⟩ under both posteriors, for p(z_aux | z) = N(ρz, (1 − ρ²)I):
    /// Σ(σ_aux² + ρ²σ² + (μ_aux − ρμ)²) / (2(1 − ρ²)) − d·log(1/(2π)) — the constant is the code's
    /// (vae.py 108–110); the density's own is −(d/2)·log(2π(1 − ρ²)). Constants move no gradient, and
    /// keeping the code's makes the reported value comparable with the authors' logs.</para>
    /// <para>Entropy: H[q(z_aux | x_aux)] = Σ ½·log(2πe·σ_aux²) (vae.py 112–113).</para>
    /// </summary>
    /// <exception cref="ArgumentException">ρ is not in (0, 1).</exception>
    public static (Variable Conditional, Variable Entropy) SelfConsistency(Variable mu, Variable logVar, Variable muAux, Variable logVarAux, double rho)
    {
        if (!(rho > 0 && rho < 1)) throw new ArgumentException($"avae: rho {rho} must be in (0, 1)");
        int batch = mu.Shape[0], latent = mu.Shape[1];
        double rho2 = rho * rho;
        // vae.py 103–107: E‖z_aux − ρz‖² per element, summed, then over 2(1 − ρ²).
        var spread = logVarAux.Exp() + logVar.Exp() * rho2 + (muAux - mu * rho).Square();   // (B, Latent)
        var conditional = spread.Sum() / (batch * 2 * (1 - rho2)) - latent * Math.Log(1 / (2 * Math.PI));
        // vae.py 113: ½·log(2πe·σ²) = ½(log 2π + 1 + log σ²) per latent.
        var entropy = logVarAux.Sum() * (0.5 / batch) + 0.5 * latent * (Math.Log(2 * Math.PI) + 1);
        return (conditional, entropy);
    }
}
