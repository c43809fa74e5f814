using Scratch.Models.Gans;
using Scratch.Experiments.Generation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// The TorchSharp twin of Scratch's DCGAN (Models/Generation/DcganNetworks.cs and DcganTrainer.cs),
/// written as a PyTorch user would: the same torch.nn modules in the same order, DCGAN's N(0, 0.02)
/// initialisation drawn by torch from its own seed (BatchNorm γ ~ N(1, 0.02), biases 0), Adam
/// (2e-4, β 0.5/0.999) for each network, and one step = the discriminator's update on real and
/// detached fake digits, then the generator's non-saturating update through the updated D.
/// </summary>
public sealed class TorchDcgan
{
    private readonly Sequential _generator, _body;
    private readonly Linear _head;
    private readonly optim.Optimizer _gAdam, _dAdam;
    public GanShape Shape { get; }

    public TorchDcgan(GanRecipe recipe, long seed)
    {
        TorchRuntime.Ensure();
        Shape = recipe.Shape;
        int z = Shape.LatentSize, f = Shape.Features;
        torch.manual_seed(seed);
        // z: (B, Z) → (B, 2f, 7, 7) → (B, f, 14, 14) → (B, 1, 28, 28) → (B, 784)
        _generator = nn.Sequential(
            nn.Unflatten(1, [z, 1, 1]),
            nn.ConvTranspose2d(z, 2 * f, 7, bias: false), nn.BatchNorm2d(2 * f), nn.ReLU(),
            nn.ConvTranspose2d(2 * f, f, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(f), nn.ReLU(),
            nn.ConvTranspose2d(f, 1, 4, stride: 2, padding: 1), nn.Sigmoid(),
            nn.Flatten());
        // x: (B, 784) → (B, f, 14, 14) → (B, 2f, 7, 7) → (B, 98f) → logit (B, 1)
        _body = nn.Sequential(
            nn.Unflatten(1, [1, 28, 28]),
            nn.Conv2d(1, f, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
            nn.Conv2d(f, 2 * f, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(2 * f), nn.LeakyReLU(0.2),
            nn.Flatten());
        _head = nn.Linear(98 * f, 1);
        Parameter[] g = [.. _generator.parameters()], d = [.. _body.parameters(), .. _head.parameters()];
        using (no_grad())
            foreach (var (name, p) in _generator.named_parameters().Concat(_body.named_parameters()).Concat(_head.named_parameters()))
            {
                if (name.EndsWith("bias", StringComparison.Ordinal)) p.zero_();
                else if (p.dim() == 1) nn.init.normal_(p, 1.0, 0.02);   // BatchNorm's γ
                else nn.init.normal_(p, 0.0, 0.02);
            }
        _gAdam = optim.Adam(g, lr: recipe.LearningRate, beta1: recipe.Beta1, beta2: recipe.Beta2);
        _dAdam = optim.Adam(d, lr: recipe.LearningRate, beta1: recipe.Beta1, beta2: recipe.Beta2);
    }

    private Tensor Discriminate(Tensor x) => _head.forward(_body.forward(x));

    /// <summary>One D update then one G update on real (B, 784); returns (D loss, G loss).</summary>
    public (double D, double G) Step(Tensor real)
    {
        long b = real.shape[0];
        var isReal = ones(b, 1);
        var isFake = zeros(b, 1);
        var fake = _generator.forward(randn(b, Shape.LatentSize));
        _dAdam.zero_grad();
        var dLoss = F.binary_cross_entropy_with_logits(Discriminate(real), isReal)
                  + F.binary_cross_entropy_with_logits(Discriminate(fake.detach()), isFake);
        dLoss.backward();
        _dAdam.step();
        _gAdam.zero_grad();
        var gLoss = F.binary_cross_entropy_with_logits(Discriminate(fake), isReal);
        gLoss.backward();
        _gAdam.step();
        return (dLoss.item<float>(), gLoss.item<float>());
    }

    /// <summary>n digits from z ~ N(0, I) in eval mode (BatchNorm's running statistics), as DcganGenerator.Sample.</summary>
    public float[] Sample(int n)
    {
        _generator.eval();
        var result = new float[n * 784];
        using (no_grad())
            for (int start = 0; start < n; start += 500)
            {
                using var scope = NewDisposeScope();
                int b = Math.Min(500, n - start);
                TorchRuntime.ToArray(_generator.forward(randn(b, Shape.LatentSize))).CopyTo(result, start * 784);
            }
        _generator.train();
        return result;
    }
}
