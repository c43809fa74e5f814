using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Gans;

/// <summary>
/// The sizes of the GAN networks: latent width and the base channel count f (layers use f and 2f).
/// The paper's 64–1024 channels are sized for 64×64 faces and GPUs; 16 and 32 channels at 28×28 keep a
/// DCGAN epoch on the bundled digits under a minute on two cores.
/// </summary>
public sealed record GanShape(int LatentSize = 64, int Features = 16);

/// <summary>
/// DCGAN's generator (Radford et al. 2016) sized for 28×28: "project and reshape" by a transposed
/// convolution of the 1×1 code, then fractionally-strided convolutions that double the size, each
/// followed by BatchNorm and ReLU, and a sigmoid image (the digits are in [0, 1]).
/// </summary>
public sealed class DcganGenerator : Module
{
    /// <summary>Z (the code width) and f (the base channel count) it was built with.</summary>
    public GanShape Shape { get; }
    /// <summary>The layers, z: (B, Z) → (B, 784): the child "net".</summary>
    public Sequential Net { get; }

    /// <summary>The generator in the class summary, initialised as DCGAN's: weights ~ N(0, 0.02²), BatchNorm γ ~ N(1, 0.02²), biases 0.</summary>
    /// <param name="shape">The code size and the feature width.</param>
    /// <param name="rng">Draws the initial weights.</param>
    /// <param name="dtype">Float32 to train; Float64 for the golden test against TorchSharp.</param>
    public DcganGenerator(GanShape shape, Rng rng, DType dtype = DType.Float32)
    {
        Shape = shape;
        int z = shape.LatentSize, f = shape.Features;
        // z: (B, Z) → (B, Z, 1, 1) → (B, 2f, 7, 7) → (B, f, 14, 14) → (B, 1, 28, 28) → (B, 784)
        Net = RegisterModule("net", new Sequential(
            new Unflatten(1, z, 1, 1),
            new ConvTranspose2d(z, 2 * f, 7, rng, bias: false, dtype: dtype), new BatchNorm2d(2 * f, dtype: dtype), new ReLU(),
            new ConvTranspose2d(2 * f, f, 4, rng, stride: 2, padding: 1, bias: false, dtype: dtype), new BatchNorm2d(f, dtype: dtype), new ReLU(),
            new ConvTranspose2d(f, 1, 4, rng, stride: 2, padding: 1, dtype: dtype), new Sigmoid(),
            new Flatten()));
        DcganInit.Apply(this, rng);
    }

    /// <summary>z: (B, Z) → images (B, 784), flattened 28×28, in (0, 1).</summary>
    /// <exception cref="ArgumentException">z is not (B, Z).</exception>
    public Variable Forward(Variable z) => Net.Forward(z);

    /// <summary>n digits from z ~ N(0, I), in eval mode (BatchNorm's running statistics): (n, 784).</summary>
    public Tensor Sample(int n, Rng rng)
    {
        Eval();
        using (NoGrad.Scope())
        {
            var result = new float[n * 784];
            var weights = Parameters().First().Data;
            var (device, dtype) = (weights.Device, weights.DType);   // the noise is drawn on the host and sent where the network is
            for (int start = 0; start < n; start += 500)
                using (TensorPool.Scope())
                {
                    int b = Math.Min(500, n - start);
                    Forward(Tensor.Randn([b, Shape.LatentSize], rng, dtype, device)).Data.To(DType.Float32).ToArray<float>().CopyTo(result, start * 784);
                }
            Train();
            return Tensor.FromArray(result, n, 784);
        }
    }
}

/// <summary>
/// DCGAN's discriminator: strided convolutions (no pooling), LeakyReLU(0.2), BatchNorm on every
/// layer but the first, and one logit. <see cref="Hidden"/> is the last hidden layer, which the
/// VAE-GAN uses as its learned similarity.
/// </summary>
public sealed class DcganDiscriminator : Module
{
    /// <summary>The convolutional layers, x: (B, 784) → (B, 98f): the child "body".</summary>
    public Sequential Body { get; }
    /// <summary>The logit layer, Linear(98f → 1): the child "head".</summary>
    public Linear Head { get; }

    /// <summary>The discriminator in the class summary for <paramref name="shape"/>'s f, initialised as DCGAN's: weights ~ N(0, 0.02²), BatchNorm γ ~ N(1, 0.02²), biases 0, drawn from <paramref name="rng"/>.</summary>
    public DcganDiscriminator(GanShape shape, Rng rng, DType dtype = DType.Float32)
    {
        int f = shape.Features;
        // x: (B, 784) → (B, 1, 28, 28) → (B, f, 14, 14) → (B, 2f, 7, 7) → (B, 98f)
        Body = RegisterModule("body", new Sequential(
            new Unflatten(1, 1, 28, 28),
            new Conv2d(1, f, 4, rng, stride: 2, padding: 1, dtype: dtype), new LeakyReLU(0.2),
            new Conv2d(f, 2 * f, 4, rng, stride: 2, padding: 1, bias: false, dtype: dtype), new BatchNorm2d(2 * f, dtype: dtype), new LeakyReLU(0.2),
            new Flatten()));
        Head = RegisterModule("head", new Linear(98 * f, 1, rng, dtype: dtype));
        DcganInit.Apply(this, rng);
    }

    /// <summary>x: (B, 784) → the hidden layer (B, 98f).</summary>
    public Variable Hidden(Variable x) => Body.Forward(x);

    /// <summary>x: (B, 784) → logits (B, 1); the probability "real" is their sigmoid.</summary>
    public Variable Forward(Variable x) => Head.Forward(Body.Forward(x));

    /// <summary>Both at once, from one pass: (hidden (B, 98f), logits (B, 1)).</summary>
    public (Variable Hidden, Variable Logits) HiddenAndLogits(Variable x)
    {
        var hidden = Body.Forward(x);
        return (hidden, Head.Forward(hidden));
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
