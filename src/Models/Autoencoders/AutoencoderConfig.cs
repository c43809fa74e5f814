using Scratch.Models.Nn;

namespace Scratch.Models.Autoencoders;

/// <summary>How the decoder's output is compared with the input.</summary>
public enum ReconstructionLoss
{
    /// <summary>Binary cross-entropy on the decoder's logits (pixels as probabilities), summed per image.</summary>
    Bce,
    /// <summary>Squared error of sigmoid(logits) against the pixels, summed per image.</summary>
    Mse,
    /// <summary>Squared error of the raw decoder output (no sigmoid): with no activations, a linear AE — PCA's problem.</summary>
    LinearMse,
}

/// <summary>
/// The shared skeleton: input → hidden layers → code → mirrored hidden layers → input.
/// 784-400-20 with ReLU is the VAE of pytorch/examples.
/// </summary>
public sealed record AutoencoderConfig
{
    /// <summary>In: pixels per image, flattened (784 for 28×28 MNIST).</summary>
    public int InputSize { get; init; } = 784;
    /// <summary>The encoder's hidden widths from the input side ([400]); the decoder mirrors them.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [400];
    /// <summary>Latent: the code's width (20).</summary>
    public int LatentSize { get; init; } = 20;
    /// <summary>The activation between hidden layers of both MLPs (ReLU).</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>How reconstructions are scored (BCE on logits).</summary>
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.Bce;
    /// <summary>The parameters' and batches' element type (float32).</summary>
    public DType DType { get; init; } = DType.Float32;
    /// <summary>MLP (through <see cref="HiddenSizes"/>) or the convolutional pair of <see cref="ConvNetworks"/> (hidden sizes unused).</summary>
    public Architecture Architecture { get; init; } = Architecture.Mlp;
    /// <summary>
    /// The images the model takes, (C, H, W), when known — a model built for a dataset knows it, and
    /// its checkpoint says it — so data of another shape is refused in pictures' words; then
    /// <see cref="InputSize"/> is C·H·W. Null for a model built from a size alone (and checkpoints
    /// written before shapes were saved).
    /// </summary>
    public Data.ImageShape? Image { get; init; }
    /// <summary>The conv architecture's channels in its first stage (32), doubling per stage (<see cref="ConvStages"/>); unused by the MLP.</summary>
    public int ConvWidth { get; init; } = ConvNetworks.DefaultWidth;

    /// <summary>
    /// The images a conv model is built for: <see cref="Image"/>, or 28×28 grey for a model of 784
    /// inputs that does not say (checkpoints written before shapes were saved).
    /// </summary>
    /// <exception cref="ArgumentException">The conv architecture has no image shape and the input is not 784.</exception>
    // A method, not a property: a record prints its properties, and this one throws for an MLP of other sizes.
    public Data.ImageShape ConvImage() => Image ?? (InputSize == Data.ImageShape.Mnist.Pixels
        ? Data.ImageShape.Mnist
        : throw new ArgumentException($"autoencoder: the conv architecture needs the images' shape (C×H×W), not only their {InputSize} values"));

    /// <summary>The conv architecture's stages for <see cref="ConvImage"/> at <see cref="ConvWidth"/>.</summary>
    public ConvStages Stages() => new(ConvImage(), ConvWidth);

    /// <summary>Called by every autoencoder's constructor.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or the conv architecture cannot take the images (smaller than 4×4, or no shape known).</exception>
    public void Validate()
    {
        if (InputSize <= 0 || LatentSize <= 0 || HiddenSizes.Any(h => h <= 0))
            throw new ArgumentException($"autoencoder: sizes {Describe()} must all be positive");
        if (Image is { } image && image.Pixels != InputSize)
            throw new ArgumentException($"autoencoder: {InputSize} inputs cannot take {image} images ({image.Pixels} values)");
        if (Architecture == Architecture.Conv)
            _ = Stages();   // throws naming the image when the rule cannot take it
    }

    /// <summary>"784-400-20" (encoder sizes), or "conv 1-32-64-20" (the channels of each stage, then the code) for the convolutional architecture.</summary>
    public string Describe() => Architecture == Architecture.Conv && TryStages() is { } stages
        ? $"conv {string.Join("-", Enumerable.Range(0, stages.Count + 1).Select(stages.Channels))}-{LatentSize}"
        : string.Join("-", new[] { InputSize }.Concat(HiddenSizes).Append(LatentSize));

    private ConvStages? TryStages()
    {
        try { return Stages(); }
        catch (ArgumentException) { return null; }   // Describe also names configurations that Validate refuses
    }

    /// <summary>Encoder sizes ending in a head of <paramref name="codeWidth"/> units (2·latent for a VAE).</summary>
    internal int[] EncoderSizes(int codeWidth) => [InputSize, .. HiddenSizes, codeWidth];

    internal int[] DecoderSizes() => [LatentSize, .. HiddenSizes.Reverse(), InputSize];
}
