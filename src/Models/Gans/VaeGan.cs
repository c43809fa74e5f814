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
    /// <summary>The convolutional layers, x: (B, 784) → (B, 98f): the child "body".</summary>
    public Sequential Body { get; }
    /// <summary>Linear(98f → 2Z), split into μ and log σ²: the child "head".</summary>
    public Linear Head { get; }

    /// <summary>The encoder for <paramref name="shape"/>'s Z and f, with PyTorch's default initialisation drawn from <paramref name="rng"/>.</summary>
    public VaeGanEncoder(GanShape shape, Rng rng, DType dtype = DType.Float32)
    {
        int f = shape.Features;
        LatentSize = shape.LatentSize;
        // x: (B, 784) → (B, 1, 28, 28) → (B, f, 14, 14) → (B, 2f, 7, 7) → (B, 98f) → (B, 2Z)
        Body = RegisterModule("body", new Sequential(
            new Unflatten(1, 1, 28, 28),
            new Conv2d(1, f, 4, rng, stride: 2, padding: 1, dtype: dtype), new LeakyReLU(0.2),
            new Conv2d(f, 2 * f, 4, rng, stride: 2, padding: 1, bias: false, dtype: dtype), new BatchNorm2d(2 * f, dtype: dtype), new LeakyReLU(0.2),
            new Flatten()));
        Head = RegisterModule("head", new Linear(98 * f, 2 * shape.LatentSize, rng, dtype: dtype));
    }

    /// <summary>q(z|x) = N(μ, σ²): x: (B, 784) → μ: (B, Z), log σ²: (B, Z).</summary>
    /// <exception cref="ArgumentException">x is not (B, 784).</exception>
    public (Variable Mu, Variable LogVar) Posterior(Variable x)
    {
        var parts = Head.Forward(Body.Forward(x)).Split(1, LatentSize, LatentSize);
        return (parts[0], parts[1]);
    }
}
