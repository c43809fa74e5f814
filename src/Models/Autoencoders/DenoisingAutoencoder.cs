using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>How a denoising autoencoder damages its input during training.</summary>
public abstract record Corruption
{
    /// <summary>
    /// x̃ = x + σ·ε, ε ~ N(0, I), clipped to [0, 1] when <paramref name="Clip"/>. Clipping keeps x̃ a
    /// valid image but biases the noise: a black pixel can only get brighter (by σ/√(2π) ≈ 0.12 on
    /// average for σ 0.3), so a model trained on clipped noise learns to darken, not to denoise.
    /// </summary>
    public sealed record Gaussian(double Sigma = 0.3, bool Clip = DefaultClip) : Corruption
    {
        /// <summary>"Gaussian noise σ 0.3", with ", clipped to [0, 1]" when clipped.</summary>
        public override string Describe() => $"Gaussian noise σ {Sigma.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(Clip ? ", clipped to [0, 1]" : "")}";
    }

    /// <summary>Each pixel set to 0 with probability ν.</summary>
    public sealed record Masking(double Fraction = 0.3) : Corruption
    {
        /// <summary>"30% of pixels masked".</summary>
        public override string Describe() => $"{(Fraction * 100).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}% of pixels masked";
    }

    /// <summary>Whether Gaussian noise is clipped unless told otherwise (measured: README, "the denoising task").</summary>
    public const bool DefaultClip = false;

    /// <summary>
    /// The damage every model of the family is scored on as a denoiser, so the columns compare:
    /// the denoising AE's default noise, drawn with a fixed seed.
    /// </summary>
    public static readonly Corruption Benchmark = new Gaussian();

    /// <summary>For people: "Gaussian noise σ 0.3" (a record's ToString would print C# syntax).</summary>
    public abstract string Describe();

    /// <summary>Applies the corruption with the engine's RNG. x: (B, In) → x̃: (B, In).</summary>
    public Tensor Apply(Tensor x, Rng rng) => this switch
    {
        Gaussian { Clip: true } g => (x + Tensor.Randn(x.ShapeArray, rng, x.DType, x.Device) * g.Sigma).Clamp(0, 1),
        Gaussian g => x + Tensor.Randn(x.ShapeArray, rng, x.DType, x.Device) * g.Sigma,
        Masking m => x * Tensor.Bernoulli(x.ShapeArray, 1 - m.Fraction, rng, x.DType, x.Device),
        _ => throw new InvalidOperationException($"unknown corruption {this}"),
    };
}

/// <summary>
/// A denoising autoencoder: it sees a corrupted x̃ and must reconstruct the clean x, so it cannot
/// just copy — it has to learn what digits look like.
/// </summary>
public sealed class DenoisingAutoencoder : Autoencoder
{
    /// <summary>The damage applied to each training batch (default Gaussian σ 0.3, unclipped).</summary>
    public Corruption Corruption { get; }

    /// <summary>A denoising AE on <paramref name="config"/>'s sizes; <paramref name="corruption"/> null means <c>new Corruption.Gaussian()</c>.</summary>
    /// <exception cref="ArgumentException">σ is negative, the mask fraction is outside [0, 1], or the config is invalid.</exception>
    public DenoisingAutoencoder(AutoencoderConfig config, Rng rng, Corruption? corruption = null)
        : base(config, rng, config.LatentSize)
    {
        Corruption = corruption ?? new Corruption.Gaussian();
        if (Corruption is Corruption.Gaussian { Sigma: < 0 } or Corruption.Masking { Fraction: < 0 or > 1 })
            throw new ArgumentException($"denoising autoencoder: invalid corruption {Corruption}");
    }

    /// <summary>"denoising".</summary>
    public override string Kind => "denoising";

    /// <summary>x: (B, In) → z: (B, Latent), the encoder's output as it is (no corruption here).</summary>
    public override Variable Encode(Variable x) => Encoder.Forward(x);

    /// <summary>The loss compares with the clean input; the corruption is drawn only while training.</summary>
    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var input = IsTraining ? Corruption.Apply(x, context.Rng) : x;
        var reconstruction = ReconstructionLoss(Decode(Encode(input)), x);
        return new LossReport(reconstruction, [("reconstruction", reconstruction)]);
    }

    /// <summary>The denoised output for an already corrupted batch.</summary>
    public Tensor Denoise(Tensor corrupted) => Reconstruct(corrupted);
}
