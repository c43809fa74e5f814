using Scratch.Models.Data;

namespace Scratch.Models.Nn;

/// <summary>
/// The one rule every convolutional network of Scratch is sized by — the autoencoders' encoder and
/// decoder, DCGAN's generator and discriminator, the VAE-GAN's encoder — so a reader can work out
/// any of them for any image with pencil and paper:
/// <list type="number">
/// <item>A stage is a 4×4 convolution with stride 2 and padding 1: it maps a side n to ⌊n/2⌋
///   (28 → 14, 7 → 3).</item>
/// <item>Stages are added while the smaller side is at least 8, and there is at least one: 28×28
///   takes two (→ 14 → 7), 32×32 three (→ 4×4), 64×64 four (→ 4×4, Radford et al.'s DCGAN),
///   40×40 three (→ 5×5), 48×32 three (→ 6×4), 20×20 two (→ 5×5).</item>
/// <item>Stage s (1-based) has base·2^(s−1) channels: 32, 64, 128, … for a base of 32.</item>
/// <item>A decoder walks the same sizes back with 4×4 stride-2 padding-1 transposed convolutions,
///   which double a side; where the encoder rounded an odd side down, an output padding of 1
///   restores it, so the output has exactly the input's shape (7 → 14 → 28; 5 → 10 → 20 → 40;
///   3 → 7 with padding 1).</item>
/// </list>
/// Images smaller than 4 pixels on a side are refused: one stage would leave a map of one pixel.
/// </summary>
public sealed class ConvStages
{
    /// <summary>A stage's kernel (4×4), stride (2) and padding (1): DCGAN's, and the conv AE's.</summary>
    public const int Kernel = 4, Stride = 2, Padding = 1;
    /// <summary>Stages are added while the smaller side is at least this.</summary>
    public const int StopBelow = 8;
    /// <summary>The smallest side the rule takes.</summary>
    public const int MinSide = 4;

    private readonly Size2[] _sizes;

    /// <summary>The images the stages take.</summary>
    public ImageShape Image { get; }
    /// <summary>The channels of the first stage; each further stage doubles them.</summary>
    public int BaseWidth { get; }
    /// <summary>How many stride-2 stages: 2 for 28×28, 4 for 64×64.</summary>
    public int Count => _sizes.Length - 1;

    /// <summary>The stages for <paramref name="image"/> with <paramref name="baseWidth"/> channels in the first.</summary>
    /// <exception cref="ArgumentException">The image is smaller than 4×4 or the width is not positive (the message names both).</exception>
    public ConvStages(ImageShape image, int baseWidth)
    {
        if (image.Height < MinSide || image.Width < MinSide)
            throw new ArgumentException($"the convolutional networks take images of at least {MinSide}×{MinSide} pixels, not {image}");
        if (baseWidth < 1)
            throw new ArgumentException($"the convolutional networks for {image} images need a base width of at least 1 channel, not {baseWidth}");
        (Image, BaseWidth) = (image, baseWidth);
        var sizes = new List<Size2> { new(image.Height, image.Width) };
        do sizes.Add(new Size2(sizes[^1].H / 2, sizes[^1].W / 2));
        while (Math.Min(sizes[^1].H, sizes[^1].W) >= StopBelow);
        _sizes = [.. sizes];
    }

    /// <summary>The map's (height, width) after <paramref name="stage"/> stages (0: the image itself).</summary>
    public Size2 Size(int stage) => _sizes[stage];

    /// <summary>The channels after <paramref name="stage"/> stages: the image's for 0, base·2^(stage−1) after.</summary>
    public int Channels(int stage) => stage == 0 ? Image.Channels : BaseWidth << (stage - 1);

    /// <summary>The smallest map, after the last stage: 7×7 for 28×28.</summary>
    public Size2 Bottom => _sizes[^1];

    /// <summary>The last stage's channels.</summary>
    public int BottomChannels => Channels(Count);

    /// <summary>Values in the smallest map, C·h·w: what the encoder flattens and the decoder's first layer makes (64·7·7 = 3136 for 28×28 at base 32).</summary>
    public int Flat => BottomChannels * Bottom.H * Bottom.W;

    /// <summary>
    /// The output padding of the transposed convolution that undoes <paramref name="stage"/>
    /// (from Size(stage) back to Size(stage − 1)): 1 on a side the encoder rounded down, else 0.
    /// </summary>
    public Size2 OutputPadding(int stage) =>
        new(_sizes[stage - 1].H - 2 * _sizes[stage].H, _sizes[stage - 1].W - 2 * _sizes[stage].W);

    /// <summary>The encoder's stage <paramref name="stage"/>: Conv 4×4 s2 p1 from Channels(stage − 1) to Channels(stage).</summary>
    public Conv2d Down(int stage, Rng rng, DType dtype, bool bias = true) =>
        new(Channels(stage - 1), Channels(stage), Kernel, rng, stride: Stride, padding: Padding, bias: bias, dtype: dtype);

    /// <summary>The decoder's layer that undoes <paramref name="stage"/>: ConvT 4×4 s2 p1 from Channels(stage) to Channels(stage − 1), with the output padding that restores an odd side.</summary>
    public ConvTranspose2d Up(int stage, Rng rng, DType dtype, bool bias = true) =>
        new(Channels(stage), Channels(stage - 1), Kernel, rng, stride: Stride, padding: Padding, outputPadding: OutputPadding(stage), bias: bias, dtype: dtype);

    /// <summary>"3×32×32 → 32×16×16 → 64×8×8 → 128×4×4": the maps, for a model's description.</summary>
    public override string ToString() =>
        string.Join(" → ", Enumerable.Range(0, _sizes.Length).Select(s => $"{Channels(s)}×{_sizes[s].H}×{_sizes[s].W}"));
}
