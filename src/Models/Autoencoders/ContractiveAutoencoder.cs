using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The contractive autoencoder (Rifai et al. 2011): a sigmoid code h and a penalty λ‖∂h/∂x‖²_F
/// that makes the code insensitive to small moves of the input. The penalty is the squared
/// Frobenius norm of the whole encoder's Jacobian, through every hidden layer and activation
/// (<see cref="Autoencoders.JacobianPenalty"/>: closed form, cost stated there), not only the code layer's:
/// a penalty on the last layer alone could be driven to zero by scaling the first layer up and the
/// last one down without changing the function.
/// </summary>
public sealed class ContractiveAutoencoder : Autoencoder
{
    /// <summary>λ, the weight of the Jacobian penalty (default 1e-4).</summary>
    public double Lambda { get; }

    /// <summary>A contractive AE on <paramref name="config"/>'s sizes with penalty weight <paramref name="lambda"/>.</summary>
    /// <exception cref="ArgumentException">λ is negative, or the config is invalid.</exception>
    public ContractiveAutoencoder(AutoencoderConfig config, Rng rng, double lambda = 1e-4)
        : base(config, rng, config.LatentSize)
    {
        if (!(lambda >= 0)) throw new ArgumentException($"contractive autoencoder: lambda {lambda} must be non-negative");
        Lambda = lambda;
    }

    /// <summary>"contractive".</summary>
    public override string Kind => "contractive";

    /// <summary>True: the code is a sigmoid.</summary>
    public override bool HasSaturatingCode => true;

    /// <summary>x: (B, In) → h = sigmoid(encoder(x)): (B, Latent), in (0, 1).</summary>
    public override Variable Encode(Variable x) => Encoder.Forward(x).Sigmoid();

    /// <summary>The code h and Σ over the batch of ‖∂h/∂x‖²_F divided by the batch size. x: (B, In).</summary>
    public (Variable Code, Variable Penalty) EncodeWithPenalty(Variable x) =>
        Autoencoders.JacobianPenalty.Compute(x, Autoencoders.JacobianPenalty.LinearLayers(Encoder), Config.Activation);

    /// <summary>
    /// Per sample: reconstruction (summed over pixels) + λ·‖∂h/∂x‖²_F, averaged over the batch x: (B, In);
    /// terms "reconstruction" and "contraction" (the latter already times λ).
    /// </summary>
    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var (h, penalty) = EncodeWithPenalty(x);
        var reconstruction = ReconstructionLoss(Decode(h), x);
        var contraction = penalty * Lambda;
        return new LossReport(reconstruction + contraction, [("reconstruction", reconstruction), ("contraction", contraction)]);
    }
}
