using Scratch.Models.Gans;
using ConvStages = Scratch.Models.Nn.ConvStages;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

using Tensor = TorchSharp.torch.Tensor;
using Layer = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

/// <summary>
/// The TorchSharp twin of Scratch's DCGAN (Models/Gans/DcganNetworks.cs and DcganTrainer.cs) for
/// any C×H×W, written as a PyTorch user would and sized by the recipe's own <see cref="ConvStages"/>:
/// the same torch.nn modules in the same order — generator Unflatten(1, (Z, 1, 1)),
/// ConvTranspose2d(Z, c_S, (h_S, w_S), bias=False), BatchNorm2d, ReLU, then per stage from the last
/// ConvTranspose2d(c_s, c_{s−1}, 4, 2, 1, output padding, bias=False), BatchNorm2d, ReLU, the last to C
/// channels with a bias and a Sigmoid, Flatten; discriminator body Unflatten(1, (C, H, W)),
/// Conv2d(C, f, 4, 2, 1), LeakyReLU(0.2), then per further stage Conv2d(bias=False), BatchNorm2d,
/// LeakyReLU(0.2), Flatten; head Linear(c_S·h_S·w_S, 1). For 28×28 grey and f 16: (B, 2f, 7, 7) →
/// (B, f, 14, 14) → (B, 1, 28, 28), and back to 98f features. Adam (2e-4, β 0.5/0.999) for each
/// network; one step = the discriminator's update on real and detached fake images, then the
/// generator's non-saturating update through the updated D.
/// Two starts: DCGAN's N(0, 0.02) initialisation drawn by torch from its own seed (BatchNorm
/// γ ~ N(1, 0.02), biases 0) for gan-parity, or a copy of Scratch's networks — in their dtype,
/// float64 included — for the step pairs, which check both engines compute the same step.
/// </summary>
public sealed class TorchDcgan
{
    private readonly Layer[] _generator, _body;
    private readonly Linear _head;
    private readonly optim.Optimizer _gAdam, _dAdam;
    public GanShape Shape { get; }

    /// <summary>Initialised by torch from <paramref name="seed"/>, as DCGAN's paper and the PyTorch example do.</summary>
    public TorchDcgan(GanRecipe recipe, long seed) : this(recipe, seed, null, null) { }

    /// <summary>A copy of Scratch's <paramref name="generator"/> and <paramref name="discriminator"/>, in their dtype.</summary>
    public TorchDcgan(GanRecipe recipe, DcganGenerator generator, DcganDiscriminator discriminator) : this(recipe, null, generator, discriminator) { }

    private TorchDcgan(GanRecipe recipe, long? seed, DcganGenerator? generator, DcganDiscriminator? discriminator)
    {
        TorchRuntime.Ensure();
        Shape = recipe.Shape;
        var stages = Shape.Stages();
        var (image, bottom, top, z) = (stages.Image, stages.Bottom, stages.Count, Shape.LatentSize);
        if (seed is { } s0) torch.manual_seed(s0);   // before the modules: their default initialisation draws too
        // z: (B, Z) → (B, Z, 1, 1) → (B, c_S, h_S, w_S) → … → (B, C, H, W) → (B, C·H·W)
        var g = new List<Layer>
        {
            nn.Unflatten(1, [z, 1, 1]),
            nn.ConvTranspose2d(z, stages.BottomChannels, (bottom.H, bottom.W), bias: false), nn.BatchNorm2d(stages.BottomChannels), nn.ReLU(),
        };
        for (int s = top; s >= 2; s--)
            g.AddRange([TorchStages.Up(stages, s, bias: false), nn.BatchNorm2d(stages.Channels(s - 1)), nn.ReLU()]);
        g.AddRange([TorchStages.Up(stages, 1), nn.Sigmoid(), nn.Flatten()]);
        // x: (B, C·H·W) → (B, C, H, W) → (B, f, h_1, w_1) → … → (B, c_S·h_S·w_S) → logit (B, 1)
        var body = new List<Layer> { nn.Unflatten(1, [image.Channels, image.Height, image.Width]), TorchStages.Down(stages, 1), nn.LeakyReLU(0.2) };
        for (int s = 2; s <= top; s++)
            body.AddRange([TorchStages.Down(stages, s, bias: false), nn.BatchNorm2d(stages.Channels(s)), nn.LeakyReLU(0.2)]);
        body.Add(nn.Flatten());
        (_generator, _body, _head) = ([.. g], [.. body], nn.Linear(stages.Flat, 1));

        if (generator is not null && discriminator is not null)
        {
            // Converted before the parameters are listed: to() replaces a module's parameter tensors.
            var dtype = generator.Parameters().First().Data.DType == Scratch.DType.Float64 ? float64 : float32;
            foreach (var m in Modules()) m.to(dtype);
        }
        Parameter[] gParameters = [.. _generator.SelectMany(m => m.parameters())];
        Parameter[] dParameters = [.. _body.SelectMany(m => m.parameters()), .. _head.parameters()];
        if (generator is not null && discriminator is not null)
        {
            TorchStages.CopyParameters("TorchDcgan generator", gParameters, [.. generator.Parameters()]);
            TorchStages.CopyParameters("TorchDcgan discriminator", dParameters, [.. discriminator.Parameters()]);
        }
        else
            using (no_grad())
                foreach (var (name, p) in Modules().SelectMany(m => m.named_parameters()))
                {
                    if (name == "bias") p.zero_();
                    else if (p.dim() == 1) nn.init.normal_(p, 1.0, 0.02);   // BatchNorm's γ
                    else nn.init.normal_(p, 0.0, 0.02);
                }
        _gAdam = optim.Adam(gParameters, lr: recipe.LearningRate, beta1: recipe.Beta1, beta2: recipe.Beta2);
        _dAdam = optim.Adam(dParameters, lr: recipe.LearningRate, beta1: recipe.Beta1, beta2: recipe.Beta2);
    }

    // Generator, discriminator body, head: the order Scratch's networks register their parameters in.
    private IEnumerable<Layer> Modules() => _generator.Concat(_body).Append(_head);

    private Tensor Discriminate(Tensor x) => _head.forward(TorchStages.Forward(_body, x));

    /// <summary>
    /// One D update then one G update on real (B, C·H·W) and noise z (B, Z), drawn by torch when
    /// null, in the networks' dtype; returns (D loss, G loss).
    /// </summary>
    public (double D, double G) Step(Tensor real, Tensor? z = null)
    {
        long b = real.shape[0];
        var isReal = ones(b, 1, dtype: real.dtype);
        var isFake = zeros(b, 1, dtype: real.dtype);
        var fake = TorchStages.Forward(_generator, z ?? randn(b, Shape.LatentSize));
        _dAdam.zero_grad();
        var dLoss = F.binary_cross_entropy_with_logits(Discriminate(real), isReal)
                  + F.binary_cross_entropy_with_logits(Discriminate(fake.detach()), isFake);
        dLoss.backward();
        _dAdam.step();
        _gAdam.zero_grad();
        var gLoss = F.binary_cross_entropy_with_logits(Discriminate(fake), isReal);
        gLoss.backward();
        _gAdam.step();
        return (Value(dLoss), Value(gLoss));
    }

    private static double Value(Tensor scalar) => scalar.dtype == float64 ? scalar.item<double>() : scalar.item<float>();

    /// <summary>Every parameter, generator's then discriminator's (body, head), as Scratch's networks list theirs.</summary>
    public IEnumerable<Parameter> Parameters() => Modules().SelectMany(m => m.parameters());

    /// <summary>n images from z ~ N(0, I) in eval mode (BatchNorm's running statistics), as DcganGenerator.Sample: (n·C·H·W) floats.</summary>
    public float[] Sample(int n)
    {
        foreach (var m in _generator) m.eval();
        int pixels = Shape.Image.Pixels;
        var result = new float[n * pixels];
        using (no_grad())
            for (int start = 0; start < n; start += 500)
            {
                using var scope = NewDisposeScope();
                int b = Math.Min(500, n - start);
                TorchRuntime.ToArray(TorchStages.Forward(_generator, randn(b, Shape.LatentSize))).CopyTo(result, start * pixels);
            }
        foreach (var m in _generator) m.train();
        return result;
    }
}
