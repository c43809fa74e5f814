using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>How a sparse autoencoder keeps most code units quiet.</summary>
public abstract record SparsityPenalty
{
    /// <summary>β·Σⱼ KL(ρ ‖ ρ̂ⱼ) on a sigmoid code, ρ̂ⱼ = unit j's mean activation over the batch.</summary>
    public sealed record KlDivergence(double Rho = 0.05, double Beta = 1.0) : SparsityPenalty;

    /// <summary>λ·mean over the batch of ‖z‖₁, on a ReLU code.</summary>
    public sealed record L1(double Lambda = 1e-3) : SparsityPenalty;
}

/// <summary>
/// A sparse autoencoder: the code may be as wide as the input or wider, and a penalty keeps the
/// average activation of each unit low, so each unit learns a distinct feature.
/// </summary>
public sealed class SparseAutoencoder : Autoencoder
{
    /// <summary>The penalty on the code (default KL with ρ 0.05, β 1).</summary>
    public SparsityPenalty Penalty { get; }

    /// <summary>A sparse AE on <paramref name="config"/>'s sizes; <paramref name="penalty"/> null means <c>new SparsityPenalty.KlDivergence()</c>.</summary>
    /// <exception cref="ArgumentException">ρ is outside (0, 1), or the config is invalid.</exception>
    public SparseAutoencoder(AutoencoderConfig config, Rng rng, SparsityPenalty? penalty = null)
        : base(config, rng, config.LatentSize)
    {
        Penalty = penalty ?? new SparsityPenalty.KlDivergence();
        if (Penalty is SparsityPenalty.KlDivergence { Rho: <= 0 or >= 1 } kl)
            throw new ArgumentException($"sparse autoencoder: rho {kl.Rho} must be in (0, 1)");
    }

    /// <summary>"sparse".</summary>
    public override string Kind => "sparse";

    /// <summary>True with the KL penalty (a sigmoid code), false with L1 (a ReLU code).</summary>
    public override bool HasSaturatingCode => Penalty is SparsityPenalty.KlDivergence;

    /// <summary>x: (B, In) → z: (B, Latent): sigmoid of the encoder's output with the KL penalty, ReLU with L1.</summary>
    // The KL penalty needs activations in (0, 1): a sigmoid code; L1 uses a ReLU code, which can be exactly 0.
    public override Variable Encode(Variable x) => Penalty is SparsityPenalty.KlDivergence
        ? Encoder.Forward(x).Sigmoid()
        : Encoder.Forward(x).Relu();

    /// <summary>
    /// Per sample: reconstruction (summed over pixels, averaged over the batch x: (B, In)) + the
    /// sparsity penalty (KL on the batch's mean activations, or λ·‖z‖₁ per sample); terms
    /// "reconstruction" and "sparsity".
    /// </summary>
    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var code = Encode(x);
        var reconstruction = ReconstructionLoss(Decode(code), x);
        Variable sparsity = Penalty switch
        {
            SparsityPenalty.KlDivergence kl => Losses.BernoulliKl(kl.Rho, code.Mean(0)) * kl.Beta,
            SparsityPenalty.L1 l1 => Losses.L1(code, Reduction.Sum) * (l1.Lambda / x.Size(0)),
            _ => throw new InvalidOperationException($"unknown sparsity penalty {Penalty}"),
        };
        return new LossReport(reconstruction + sparsity, [("reconstruction", reconstruction), ("sparsity", sparsity)]);
    }
}
