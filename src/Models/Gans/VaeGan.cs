using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Gans;

/// <summary>
/// The VAE-GAN's encoder (Larsen et al. 2016): the discriminator's convolutional body mirrored,
/// ending in the Gaussian posterior's mean and log-variance.
/// </summary>
public sealed class VaeGanEncoder : Module
{
    /// <summary>Z: the width of μ and of log σ².</summary>
    public int LatentSize { get; }
    /// <summary>The convolutional layers, the discriminator's layout: x: (B, C·H·W) → (B, F) (98f for 28×28): the child "body".</summary>
    public Sequential Body { get; }
    /// <summary>Linear(F → 2Z), split into μ and log σ²: the child "head".</summary>
    public Linear Head { get; }

    /// <summary>The encoder for <paramref name="shape"/>'s Z and f, with PyTorch's default initialisation drawn from <paramref name="rng"/>.</summary>
    public VaeGanEncoder(GanShape shape, Rng rng, DType dtype = DType.Float32)
    {
        LatentSize = shape.LatentSize;
        // x: (B, C·H·W) → … → (B, F) → (B, 2Z); for 28×28 grey (B, 784) → (B, f, 14, 14) → (B, 2f, 7, 7) → (B, 98f) → (B, 2Z)
        var stages = shape.Stages();
        Body = RegisterModule("body", DcganDiscriminator.StridedBody(stages, rng, dtype));
        Head = RegisterModule("head", new Linear(stages.Flat, 2 * shape.LatentSize, rng, dtype: dtype));
    }

    /// <summary>q(z|x) = N(μ, σ²): x: (B, C·H·W) → μ: (B, Z), log σ²: (B, Z).</summary>
    /// <exception cref="ArgumentException">x is not (B, C·H·W).</exception>
    public (Variable Mu, Variable LogVar) Posterior(Variable x)
    {
        var parts = Head.Forward(Body.Forward(x)).Split(1, LatentSize, LatentSize);
        return (parts[0], parts[1]);
    }
}
