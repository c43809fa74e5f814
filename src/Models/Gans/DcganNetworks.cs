using Scratch.Autograd;
using Scratch.Models.Data;
using Scratch.Models.Nn;

namespace Scratch.Models.Gans;

/// <summary>
/// The sizes of the GAN networks: latent width, the base channel count f of the first stage (the
/// stages of <see cref="ConvStages"/> use f, 2f, 4f, …) and the images they make and judge.
/// The paper's 128–1024 channels are sized for 64×64 faces and GPUs (f = 128 there); 16 and 32
/// channels at 28×28 keep a DCGAN epoch on the bundled digits under a minute on two cores.
/// </summary>
public sealed record GanShape(int LatentSize = 64, int Features = 16)
{
    /// <summary>The images, C×H×W (28×28 grey digits unless said).</summary>
    public ImageShape Image { get; init; } = ImageShape.Mnist;

    /// <summary>The stride-2 stages between the image and the smallest map, f channels in the first.</summary>
    public ConvStages Stages() => new(Image, Features);
}

/// <summary>
/// DCGAN's generator (Radford et al. 2016), sized by <see cref="ConvStages"/>: "project and
/// reshape" by a transposed convolution of the 1×1 code to the smallest map (its kernel is that
/// map's size), then fractionally-strided convolutions that double the size, each followed by
/// BatchNorm and ReLU, and a sigmoid image (pixels are in [0, 1]). For 28×28 grey:
/// <code>
/// z: (B, Z) → (B, Z, 1, 1) → ConvT 7×7 → (B, 2f, 7, 7) → BN → ReLU → ConvT 4×4 s2 p1 → (B, f, 14, 14) → BN → ReLU
///    → ConvT 4×4 s2 p1 → (B, 1, 28, 28) → sigmoid → (B, 784)
/// </code>
/// For 64×64 RGB the same rule gives the paper's layout: 4×4 maps of 8f channels, then 4f, 2f, f and
/// 3 channels at 64×64 (the paper's 1024-512-256-128 is f = 128).
/// </summary>
public sealed class DcganGenerator : Module
{
    /// <summary>Z (the code width) and f (the base channel count) it was built with.</summary>
    public GanShape Shape { get; }
    /// <summary>The layers, z: (B, Z) → (B, C·H·W): the child "net".</summary>
    public Sequential Net { get; }

    /// <summary>The generator in the class summary, initialised as DCGAN's: weights ~ N(0, 0.02²), BatchNorm γ ~ N(1, 0.02²), biases 0.</summary>
    /// <param name="shape">The code size and the feature width.</param>
    /// <param name="rng">Draws the initial weights.</param>
    /// <param name="dtype">Float32 to train; Float64 for the golden test against TorchSharp.</param>
    public DcganGenerator(GanShape shape, Rng rng, DType dtype = DType.Float32)
    {
        Shape = shape;
        int z = shape.LatentSize;
        var stages = shape.Stages();
        // z: (B, Z) → (B, Z, 1, 1) → (B, c_S, h_S, w_S) → … → (B, c_1, h_1, w_1) → (B, C, H, W) → (B, C·H·W)
        Net = RegisterModule("net", new Sequential(
            new Unflatten(1, z, 1, 1),
            new ConvTranspose2d(z, stages.BottomChannels, stages.Bottom, rng, bias: false, dtype: dtype),
            new BatchNorm2d(stages.BottomChannels, dtype: dtype), new ReLU()));
        for (int s = stages.Count; s >= 2; s--)
            Net.Add(stages.Up(s, rng, dtype, bias: false)).Add(new BatchNorm2d(stages.Channels(s - 1), dtype: dtype)).Add(new ReLU());
        Net.Add(stages.Up(1, rng, dtype)).Add(new Sigmoid()).Add(new Flatten());
        DcganInit.Apply(this, rng);
    }

    /// <summary>z: (B, Z) → images (B, C·H·W), flattened, in (0, 1).</summary>
    /// <exception cref="ArgumentException">z is not (B, Z).</exception>
    public Variable Forward(Variable z) => Net.Forward(z);

    /// <summary>n images from z ~ N(0, I), in eval mode (BatchNorm's running statistics): (n, C·H·W).</summary>
    public Tensor Sample(int n, Rng rng)
    {
        Eval();
        using (NoGrad.Scope())
        {
            int pixels = Shape.Image.Pixels;
            var result = new float[n * pixels];
            var weights = Parameters().First().Data;
            var (device, dtype) = (weights.Device, weights.DType);   // the noise is drawn where the network is
            for (int start = 0; start < n; start += 500)
                using (TensorPool.Scope())
                {
                    int b = Math.Min(500, n - start);
                    Forward(Tensor.Randn([b, Shape.LatentSize], rng, dtype, device)).Data.To(DType.Float32).ToArray<float>().CopyTo(result, start * pixels);
                }
            Train();
            return Tensor.FromArray(result, n, pixels);
        }
    }
}

/// <summary>
/// DCGAN's discriminator, sized by <see cref="ConvStages"/>: strided convolutions (no pooling),
/// LeakyReLU(0.2), BatchNorm on every layer but the first, and one logit — a Linear over the
/// flattened smallest map, which is the paper's last convolution (its kernel covers the whole
/// map). <see cref="Hidden"/> is the last hidden layer, which the VAE-GAN uses as its learned
/// similarity. For 28×28 grey: (B, 784) → (B, f, 14, 14) → (B, 2f, 7, 7) → (B, 98f) → (B, 1).
/// </summary>
public sealed class DcganDiscriminator : Module
{
    /// <summary>The convolutional layers, x: (B, C·H·W) → (B, F), F the smallest map's values (98f for 28×28): the child "body".</summary>
    public Sequential Body { get; }
    /// <summary>The logit layer, Linear(F → 1): the child "head".</summary>
    public Linear Head { get; }

    /// <summary>The discriminator in the class summary for <paramref name="shape"/>'s f, initialised as DCGAN's: weights ~ N(0, 0.02²), BatchNorm γ ~ N(1, 0.02²), biases 0, drawn from <paramref name="rng"/>.</summary>
    public DcganDiscriminator(GanShape shape, Rng rng, DType dtype = DType.Float32)
    {
        var stages = shape.Stages();
        Body = RegisterModule("body", StridedBody(stages, rng, dtype));
        Head = RegisterModule("head", new Linear(stages.Flat, 1, rng, dtype: dtype));
        DcganInit.Apply(this, rng);
    }

    /// <summary>x: (B, C·H·W) → the hidden layer (B, F).</summary>
    public Variable Hidden(Variable x) => Body.Forward(x);

    /// <summary>x: (B, C·H·W) → logits (B, 1); the probability "real" is their sigmoid.</summary>
    public Variable Forward(Variable x) => Head.Forward(Body.Forward(x));

    /// <summary>Both at once, from one pass: (hidden (B, F), logits (B, 1)).</summary>
    public (Variable Hidden, Variable Logits) HiddenAndLogits(Variable x)
    {
        var hidden = Body.Forward(x);
        return (hidden, Head.Forward(hidden));
    }

    /// <summary>
    /// The discriminator's body, which the VAE-GAN's encoder shares: x: (B, C·H·W) → (B, C, H, W)
    /// → Conv s2 → (B, f, h₁, w₁) → LeakyReLU(0.2) → [Conv s2 (no bias) → BN → LeakyReLU(0.2)] per
    /// further stage → (B, F). The first layer has no BatchNorm, as in the paper.
    /// </summary>
    internal static Sequential StridedBody(ConvStages stages, Rng rng, DType dtype)
    {
        var image = stages.Image;
        var body = new Sequential(new Unflatten(1, image.Channels, image.Height, image.Width), stages.Down(1, rng, dtype), new LeakyReLU(0.2));
        for (int s = 2; s <= stages.Count; s++)
            body.Add(stages.Down(s, rng, dtype, bias: false)).Add(new BatchNorm2d(stages.Channels(s), dtype: dtype)).Add(new LeakyReLU(0.2));
        return body.Add(new Flatten());
    }
}

/// <summary>DCGAN's initialisation: "all weights from a zero-centred normal with standard deviation 0.02" (BatchNorm's γ around 1, biases 0).</summary>
internal static class DcganInit
{
    public static void Apply(Module module, Rng rng)
    {
        foreach (var (name, p) in module.NamedParameters())
        {
            var (shape, dtype) = (p.Data.ShapeArray, p.Data.DType);
            if (name.EndsWith("bias", StringComparison.Ordinal))
                p.Data.CopyFrom(Tensor.Zeros(shape, dtype));
            else if (shape.Length == 1)   // BatchNorm's γ
                p.Data.CopyFrom(Tensor.Randn(shape, rng, dtype) * 0.02 + 1.0);
            else
                p.Data.CopyFrom(Tensor.Randn(shape, rng, dtype) * 0.02);
        }
    }
}
