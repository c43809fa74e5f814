using Scratch.Models.Data;
using Scratch.Models.Nn;

namespace Scratch.Models.Autoencoders;

/// <summary>The shape of an autoencoder's encoder and decoder.</summary>
public enum Architecture
{
    /// <summary>Multilayer perceptrons through the hidden sizes (784-400-20 by default).</summary>
    Mlp,
    /// <summary>The convolutional pair of <see cref="ConvNetworks"/>, sized for the images by <see cref="ConvStages"/>.</summary>
    Conv,
}

/// <summary>
/// The convolutional encoder and decoder (the DCGAN-style pair that image autoencoders are usually
/// built from), sized for any C×H×W by the rule of <see cref="ConvStages"/>. They keep the MLP's
/// interface — images flattened to (B, C·H·W) in, a code (B, width) out, logits (B, C·H·W) back —
/// so every variant, loss, metric and command works with either architecture unchanged.
/// For 28×28 grey digits at base width 32 (two stages):
/// <code>
/// encoder: (B, 784) → (B, 1, 28, 28) → Conv 1→32, 4×4 s2 p1 → (B, 32, 14, 14) → BN → LeakyReLU(0.2)
///          → Conv 32→64, 4×4 s2 p1 → (B, 64, 7, 7) → BN → LeakyReLU(0.2) → (B, 3136) → Linear → (B, width)
/// decoder: (B, latent) → Linear → (B, 3136) → (B, 64, 7, 7) → BN → LeakyReLU(0.2)
///          → ConvT 64→32, 4×4 s2 p1 → (B, 32, 14, 14) → BN → LeakyReLU(0.2)
///          → ConvT 32→1, 4×4 s2 p1 → (B, 1, 28, 28) → (B, 784) logits
/// </code>
/// Other images add stages (32×32 RGB: 3→32→64→128 channels down to 4×4) and the decoder's
/// transposed convolutions restore odd sides with an output padding (40×40: 5 → 10 → 20 → 40).
/// </summary>
public static class ConvNetworks
{
    /// <summary>The channels of the first stage unless a config says otherwise (32; 64 after the second stage, and so on).</summary>
    public const int DefaultWidth = 32;
    private const double Slope = 0.2;      // LeakyReLU's negative slope, as in DCGAN

    /// <summary>The encoder in the class summary: x: (B, C·H·W) → (B, <paramref name="codeWidth"/>), weights drawn from <paramref name="rng"/> in layer order.</summary>
    public static Sequential Encoder(ConvStages stages, int codeWidth, Rng rng, DType dtype)
    {
        var image = stages.Image;
        var layers = new List<Layer> { new Unflatten(1, image.Channels, image.Height, image.Width) };
        for (int s = 1; s <= stages.Count; s++)
            layers.AddRange([stages.Down(s, rng, dtype), new BatchNorm2d(stages.Channels(s), dtype: dtype), new LeakyReLU(Slope)]);
        layers.AddRange([new Flatten(), new Linear(stages.Flat, codeWidth, rng, dtype: dtype)]);
        return new Sequential([.. layers]);
    }

    /// <summary>The decoder in the class summary: z: (B, <paramref name="latent"/>) → logits (B, C·H·W), weights drawn from <paramref name="rng"/> in layer order.</summary>
    public static Sequential Decoder(ConvStages stages, int latent, Rng rng, DType dtype)
    {
        var (bottom, top) = (stages.Bottom, stages.Count);
        var layers = new List<Layer>
        {
            new Linear(latent, stages.Flat, rng, dtype: dtype),
            new Unflatten(1, stages.BottomChannels, bottom.H, bottom.W),
            new BatchNorm2d(stages.BottomChannels, dtype: dtype),
            new LeakyReLU(Slope),
        };
        for (int s = top; s >= 2; s--)
            layers.AddRange([stages.Up(s, rng, dtype), new BatchNorm2d(stages.Channels(s - 1), dtype: dtype), new LeakyReLU(Slope)]);
        layers.AddRange([stages.Up(1, rng, dtype), new Flatten()]);
        return new Sequential([.. layers]);
    }

    /// <summary>Values in the encoder and decoder (parameters and buffers), for a checkpoint's size check.</summary>
    public static double StateSize(ConvStages stages, int codeWidth, int latent)
    {
        static double Conv(double i, double o) => i * o * ConvStages.Kernel * ConvStages.Kernel + o;
        static double Bn(double c) => 4 * c + 1;   // weight, bias, running mean and var, a counter
        double size = (stages.Flat + 1.0) * codeWidth + (latent + 1.0) * stages.Flat + Bn(stages.BottomChannels);
        for (int s = 1; s <= stages.Count; s++)
            size += 2 * Conv(stages.Channels(s - 1), stages.Channels(s)) - stages.Channels(s) + stages.Channels(s - 1)   // down and up: their biases differ
                    + Bn(stages.Channels(s)) + (s > 1 ? Bn(stages.Channels(s - 1)) : 0);
        return size;
    }
}
