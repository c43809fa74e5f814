using Scratch.Models.Nn;

namespace Scratch.Models.Autoencoders;

/// <summary>The shape of an autoencoder's encoder and decoder.</summary>
public enum Architecture
{
    /// <summary>Multilayer perceptrons through the hidden sizes (784-400-20 by default).</summary>
    Mlp,
    /// <summary>The convolutional pair of <see cref="ConvNetworks"/>, for 28×28 images.</summary>
    Conv,
}

/// <summary>
/// The convolutional encoder and decoder for 28×28 digits (the DCGAN-style pair that image
/// autoencoders are usually built from). They keep the MLP's interface — images flattened to
/// (B, 784) in, a code (B, width) out, logits (B, 784) back — so every variant, loss, metric and
/// command works with either architecture unchanged.
/// <code>
/// encoder: (B, 784) → (B, 1, 28, 28) → Conv 1→32, 4×4 s2 p1 → (B, 32, 14, 14) → BN → LeakyReLU(0.2)
///          → Conv 32→64, 4×4 s2 p1 → (B, 64, 7, 7) → BN → LeakyReLU(0.2) → (B, 3136) → Linear → (B, width)
/// decoder: (B, latent) → Linear → (B, 3136) → (B, 64, 7, 7) → BN → LeakyReLU(0.2)
///          → ConvT 64→32, 4×4 s2 p1 → (B, 32, 14, 14) → BN → LeakyReLU(0.2)
///          → ConvT 32→1, 4×4 s2 p1 → (B, 1, 28, 28) → (B, 784) logits
/// </code>
/// </summary>
public static class ConvNetworks
{
    /// <summary>The image side the pair is built for: 28, so In must be 784.</summary>
    public const int Side = 28;
    /// <summary>Channels after the first convolution (32) and the second (64); the decoder mirrors them.</summary>
    public const int Channels1 = 32, Channels2 = 64;
    private const int Bottom = 7;          // 28 → 14 → 7
    private const double Slope = 0.2;      // LeakyReLU's negative slope, as in DCGAN
    private const int Flat = Channels2 * Bottom * Bottom;

    /// <summary>The encoder in the class summary: x: (B, 784) → (B, <paramref name="codeWidth"/>), weights drawn from <paramref name="rng"/> in layer order.</summary>
    public static Sequential Encoder(int codeWidth, Rng rng, DType dtype) => new(
        new Unflatten(1, 1, Side, Side),
        new Conv2d(1, Channels1, 4, rng, stride: 2, padding: 1, dtype: dtype),
        new BatchNorm2d(Channels1, dtype: dtype),
        new LeakyReLU(Slope),
        new Conv2d(Channels1, Channels2, 4, rng, stride: 2, padding: 1, dtype: dtype),
        new BatchNorm2d(Channels2, dtype: dtype),
        new LeakyReLU(Slope),
        new Flatten(),
        new Linear(Flat, codeWidth, rng, dtype: dtype));

    /// <summary>The decoder in the class summary: z: (B, <paramref name="latent"/>) → logits (B, 784), weights drawn from <paramref name="rng"/> in layer order.</summary>
    public static Sequential Decoder(int latent, Rng rng, DType dtype) => new(
        new Linear(latent, Flat, rng, dtype: dtype),
        new Unflatten(1, Channels2, Bottom, Bottom),
        new BatchNorm2d(Channels2, dtype: dtype),
        new LeakyReLU(Slope),
        new ConvTranspose2d(Channels2, Channels1, 4, rng, stride: 2, padding: 1, dtype: dtype),
        new BatchNorm2d(Channels1, dtype: dtype),
        new LeakyReLU(Slope),
        new ConvTranspose2d(Channels1, 1, 4, rng, stride: 2, padding: 1, dtype: dtype),
        new Flatten());

    /// <summary>Values in the encoder and decoder (parameters and buffers), for a checkpoint's size check.</summary>
    public static double StateSize(int codeWidth, int latent)
    {
        static double Conv(double i, double o) => i * o * 16 + o;
        static double Bn(double c) => 4 * c + 1;   // weight, bias, running mean and var, a counter
        return Conv(1, Channels1) + Bn(Channels1) + Conv(Channels1, Channels2) + Bn(Channels2) + (Flat + 1.0) * codeWidth
            + (latent + 1.0) * Flat + Bn(Channels2) + Conv(Channels2, Channels1) + Bn(Channels1) + Conv(Channels1, 1);
    }
}
