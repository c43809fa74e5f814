namespace Scratch.Models.Autoencoders;

/// <summary>The settings of every variant in one record: what a command line or a checkpoint names.</summary>
public sealed record ModelSpec
{
    /// <summary>"ae", "sparse", "denoising", "vae", "contractive" or "avae".</summary>
    public string Kind { get; init; } = "vae";
    /// <summary>The shared sizes, activation, loss, dtype and architecture.</summary>
    public AutoencoderConfig Config { get; init; } = new();
    /// <summary>The VAE's KL weight β (1: the plain ELBO).</summary>
    public double Beta { get; init; } = 1.0;
    /// <summary>Epochs over which the VAE's β rises linearly from 0 (0: none).</summary>
    public double WarmupEpochs { get; init; }
    /// <summary>The AVAE's ρ ∈ (0, 1), the correlation of a code and its re-encoding (<see cref="AutoencodingVae.Rho"/>).</summary>
    public double Rho { get; init; } = AutoencodingVae.DefaultRho;
    /// <summary>Whether the AVAE post-processes a trained VAE: encoder only, on the decoder's own images (<see cref="AutoencodingVae.PostProcessing"/>).</summary>
    public bool PostProcessing { get; init; }
    /// <summary>The sparse AE's target mean activation ρ per code unit, in (0, 1).</summary>
    public double SparsityRho { get; init; } = 0.05;
    /// <summary>The weight of the sparse AE's KL penalty.</summary>
    public double SparsityBeta { get; init; } = 1.0;
    /// <summary>When positive, the sparse AE uses an L1 penalty with this λ instead of the KL.</summary>
    public double SparsityL1 { get; init; }
    /// <summary>σ of the denoising AE's Gaussian noise, in pixel units.</summary>
    public double NoiseSigma { get; init; } = 0.3;
    /// <summary>Whether the denoising AE's Gaussian noise is clipped to [0, 1].</summary>
    public bool NoiseClip { get; init; } = Corruption.DefaultClip;
    /// <summary>When positive, the denoising AE masks this fraction of pixels instead of adding noise.</summary>
    public double MaskFraction { get; init; }
    /// <summary>λ, the weight of the contractive AE's Jacobian penalty.</summary>
    public double ContractiveLambda { get; init; } = 1e-4;

    /// <summary>Every accepted <see cref="Kind"/>.</summary>
    public static readonly string[] Kinds = ["ae", "sparse", "denoising", "vae", "contractive", "avae"];

    /// <summary>
    /// The variants built on the convolutional architecture. The sparse and contractive penalties
    /// are defined on a sigmoid code layer and (contractive) its closed-form Jacobian through one
    /// dense layer, which the conv encoder does not have.
    /// </summary>
    public static readonly string[] ConvKinds = ["ae", "denoising", "vae", "avae"];

    /// <summary>Whether a kind's encoder head is 2·latent wide (μ and log σ²): the VAE and the AVAE.</summary>
    public static bool IsVariational(string kind) => kind is "vae" or "avae";
}

/// <summary>Turns a <see cref="ModelSpec"/> into its autoencoder.</summary>
public static class ModelFactory
{
    /// <summary>Builds a fresh model; its initial weights are drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">The kind is unknown or has no conv architecture, or a setting is out of range.</exception>
    public static Autoencoder Create(ModelSpec spec, Rng rng)
    {
        if (spec.Config.Architecture == Architecture.Conv && !ModelSpec.ConvKinds.Contains(spec.Kind))
            throw new ArgumentException($"model '{spec.Kind}' has no conv architecture (conv models: {string.Join(", ", ModelSpec.ConvKinds)}); use the MLP architecture");
        return CreateUnchecked(spec, rng);
    }

    private static Autoencoder CreateUnchecked(ModelSpec spec, Rng rng) => spec.Kind switch
    {
        "ae" => new UndercompleteAutoencoder(spec.Config, rng),
        "sparse" => new SparseAutoencoder(spec.Config, rng, spec.SparsityL1 > 0
            ? new SparsityPenalty.L1(spec.SparsityL1)
            : new SparsityPenalty.KlDivergence(spec.SparsityRho, spec.SparsityBeta)),
        "denoising" => new DenoisingAutoencoder(spec.Config, rng, spec.MaskFraction > 0
            ? new Corruption.Masking(spec.MaskFraction)
            : new Corruption.Gaussian(spec.NoiseSigma, spec.NoiseClip)),
        "vae" => new VariationalAutoencoder(spec.Config, rng, spec.Beta, spec.WarmupEpochs),
        "contractive" => new ContractiveAutoencoder(spec.Config, rng, spec.ContractiveLambda),
        "avae" => new AutoencodingVae(spec.Config, rng, spec.Rho, spec.Beta, spec.WarmupEpochs, spec.PostProcessing),
        _ => throw new ArgumentException($"unknown model '{spec.Kind}' (expected one of {string.Join(", ", ModelSpec.Kinds)})"),
    };
}
