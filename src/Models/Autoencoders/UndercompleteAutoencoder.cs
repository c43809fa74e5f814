using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The plain autoencoder: a code narrower than the input forces the network to keep only what
/// matters for reconstruction. With no activations and MSE it learns PCA's subspace.
/// </summary>
public sealed class UndercompleteAutoencoder(AutoencoderConfig config, Rng rng)
    : Autoencoder(config, rng, config.LatentSize)
{
    public override string Kind => "ae";

    // x: (B, In) → z: (B, Latent), a linear code
    public override Variable Encode(Variable x) => Encoder.Forward(x);

    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var reconstruction = ReconstructionLoss(Decode(Encode(x)), x);
        return new LossReport(reconstruction, [("reconstruction", reconstruction.Item())]);
    }
}
