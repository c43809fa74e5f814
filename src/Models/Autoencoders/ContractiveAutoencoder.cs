using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The contractive autoencoder (Rifai et al. 2011): a sigmoid code h and a penalty λ‖∂h/∂x‖²_F
/// that makes the code insensitive to small moves of the input. For h = σ(W·a + b) the Jacobian is
/// diag(h(1−h))·W, so ‖J‖²_F = Σⱼ (hⱼ(1−hⱼ))² Σᵢ Wⱼᵢ² — closed form, no second backward pass.
/// With hidden layers, a is the last hidden layer's output and the penalty is that of the code
/// layer (exactly ‖∂h/∂x‖²_F when the encoder has no hidden layer).
/// </summary>
public sealed class ContractiveAutoencoder : Autoencoder
{
    public double Lambda { get; }

    public ContractiveAutoencoder(AutoencoderConfig config, Rng rng, double lambda = 1e-4)
        : base(config, rng, config.LatentSize)
    {
        if (!(lambda >= 0)) throw new ArgumentException($"contractive autoencoder: lambda {lambda} must be non-negative");
        Lambda = lambda;
    }

    public override string Kind => "contractive";

    public override bool HasSaturatingCode => true;

    private Linear CodeLayer => (Linear)Encoder.Layers[^1];

    public override Variable Encode(Variable x) => Encoder.Forward(x).Sigmoid();

    /// <summary>Σ over the batch of ‖∂h/∂a‖²_F, divided by the batch size. h: (B, Latent).</summary>
    public Variable JacobianPenalty(Variable h)
    {
        var slope = h * (1.0 - h);                              // (B, Latent): σ'(·) = h(1−h)
        var weightNorms = CodeLayer.Weight.Square().Sum(1);      // (Latent): Σᵢ Wⱼᵢ²
        return (slope.Square() * weightNorms).Sum() / h.Shape[0];
    }

    public override LossReport ComputeLoss(Tensor x, TrainingContext context)
    {
        var h = Encode(x);
        var reconstruction = ReconstructionLoss(Decode(h), x);
        var contraction = JacobianPenalty(h) * Lambda;
        return new LossReport(reconstruction + contraction, [("reconstruction", reconstruction.Item()), ("contraction", contraction.Item())]);
    }
}
