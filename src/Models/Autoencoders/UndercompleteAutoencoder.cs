using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The plain autoencoder: a code narrower than the input forces the network to keep only what
/// matters for reconstruction. With no activations and MSE it learns PCA's subspace.
/// </summary>
public sealed class UndercompleteAutoencoder(AutoencoderConfig config, Rng rng)
    : Autoencoder(config, rng, config.LatentSize)
{
    /// <summary>"ae".</summary>
    public override string Kind => "ae";

    /// <summary>x: (B, In) → z: (B, Latent), the encoder's output as it is (a linear code).</summary>
    public override Variable Encode(Variable x) => Encoder.Forward(x);

    /// <summary>The reconstruction loss per sample (<see cref="AutoencoderConfig.Loss"/> summed over the In pixels, averaged over B), as the term "reconstruction".</summary>
    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var reconstruction = ReconstructionLoss(Decode(Encode(x)), x);
        return new LossReport(reconstruction, [("reconstruction", reconstruction)]);
    }
}
