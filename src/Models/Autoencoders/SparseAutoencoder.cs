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
    public SparsityPenalty Penalty { get; }

    public SparseAutoencoder(AutoencoderConfig config, Rng rng, SparsityPenalty? penalty = null)
        : base(config, rng, config.LatentSize)
    {
        Penalty = penalty ?? new SparsityPenalty.KlDivergence();
        if (Penalty is SparsityPenalty.KlDivergence { Rho: <= 0 or >= 1 } kl)
            throw new ArgumentException($"sparse autoencoder: rho {kl.Rho} must be in (0, 1)");
    }

    public override string Kind => "sparse";

    public override bool HasSaturatingCode => Penalty is SparsityPenalty.KlDivergence;

    // The KL penalty needs activations in (0, 1): a sigmoid code; L1 uses a ReLU code, which can be exactly 0.
    public override Variable Encode(Variable x) => Penalty is SparsityPenalty.KlDivergence
        ? Encoder.Forward(x).Sigmoid()
        : Encoder.Forward(x).Relu();

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
        return new LossReport(reconstruction + sparsity, [("reconstruction", reconstruction.Item()), ("sparsity", sparsity.Item())]);
    }
}
