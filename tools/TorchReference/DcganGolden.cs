using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.TorchReference;

/// <summary>
/// dcgan_step.json: two full DCGAN training steps in float64 — the discriminator update, then the
/// generator update with the non-saturating loss on logits, each with torch.optim.Adam (lr 2e-4,
/// β₁ 0.5, β₂ 0.999) — on a DCGAN of Scratch's architecture (src/Models/Gans/DcganNetworks.cs)
/// at a reduced width (latent 4, f = 2) so the file stays small; every layer type is there:
/// ConvTranspose2d (7×7 from 1×1, then stride 2), BatchNorm2d, ReLU, Sigmoid, Conv2d (stride 2),
/// LeakyReLU(0.2), Flatten/Unflatten, Linear. The step is written as a PyTorch user writes it, in
/// the order Scratch's DcganTrainer.Step takes (D on real, D on detached fake, D step, then G's loss
/// through the updated D, G step), so BatchNorm's running statistics see the same three D passes.
/// </summary>
internal static class DcganGolden
{
    public const string FileName = "dcgan_step.json";
    public const int Latent = 4, Features = 2, Batch = 4, Steps = 2;

    private const string Description =
        "Two DCGAN training steps in float64, TorchSharp 0.107 (libtorch 2.10), torch.nn modules and torch.optim.Adam(lr 2e-4, betas (0.5, 0.999), eps 1e-8). " +
        "Generator G ('G.' + Scratch's names): net = Sequential(0 Unflatten(1,(4,1,1)), 1 ConvTranspose2d(4,4,7,bias=False), 2 BatchNorm2d(4), 3 ReLU, " +
        "4 ConvTranspose2d(4,2,4,stride 2,padding 1,bias=False), 5 BatchNorm2d(2), 6 ReLU, 7 ConvTranspose2d(2,1,4,stride 2,padding 1), 8 Sigmoid, 9 Flatten). " +
        "Discriminator D ('D.'): body = Sequential(0 Unflatten(1,(1,28,28)), 1 Conv2d(1,2,4,stride 2,padding 1), 2 LeakyReLU(0.2), " +
        "3 Conv2d(2,4,4,stride 2,padding 1,bias=False), 4 BatchNorm2d(4), 5 LeakyReLU(0.2), 6 Flatten); head = Linear(196,1). " +
        "Parameters, k flat index, L = 1..9 in the order G.net.1, G.net.2, G.net.4, G.net.5, G.net.7, D.body.1, D.body.3, D.body.4, D.head: " +
        "weight[k] = 0.1*sin(0.37*k + L), bias[k] = 0.02*cos(0.73*k + L); BatchNorm weight[k] = 1 + 0.1*sin(k + L), bias[k] = 0.05*cos(k + L). " +
        "Step t = 1, 2 (s = t - 1) on real_s (4,784): real_s[k] = 0.5 + 0.5*sin(0.05*k + 0.9*s), and z_s (4,4): z_s[k] = 1.5*sin(0.7*k + 0.3 + s): " +
        "fake = G(z_s); D.zero_grad(); d_loss = bce_logits(D(real_s), 1) + bce_logits(D(fake.detach()), 0) (means); d_loss.backward(); " +
        "'step<t>.D.<name>.grad_d' = the D gradients now; D.step(); G.zero_grad(); g_loss = bce_logits(D(fake), 1); g_loss.backward(); " +
        "'step<t>.G.<name>.grad' = G's gradients; 'step<t>.D.<name>.grad' = D's gradients now (d_loss's plus g_loss's, accumulated); G.step(); " +
        "then 'step<t>.<name>' = every parameter and BatchNorm buffer after the step. Scalars 'step<t>.d_loss', 'step<t>.g_loss', '<bn>.num_batches_tracked' after step 2.";

    public static Tensor Real(int s) => Formula.Flat([Batch, 784], k => 0.5 + 0.5 * Math.Sin(0.05 * k + 0.9 * s));
    public static Tensor Noise(int s) => Formula.Flat([Batch, Latent], k => 1.5 * Math.Sin(0.7 * k + 0.3 + s));

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        int f = Features;
        var g = nn.Sequential(
            nn.Unflatten(1, [Latent, 1, 1]),
            nn.ConvTranspose2d(Latent, 2 * f, 7, bias: false), nn.BatchNorm2d(2 * f), nn.ReLU(),
            nn.ConvTranspose2d(2 * f, f, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(f), nn.ReLU(),
            nn.ConvTranspose2d(f, 1, 4, stride: 2, padding: 1), nn.Sigmoid(),
            nn.Flatten());
        var body = nn.Sequential(
            nn.Unflatten(1, [1, 28, 28]),
            nn.Conv2d(1, f, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
            nn.Conv2d(f, 2 * f, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(2 * f), nn.LeakyReLU(0.2),
            nn.Flatten());
        var head = nn.Linear(98 * f, 1);
        Tensor D(Tensor x) => head.forward(body.forward(x));

        var gNamed = g.named_parameters().Select(p => ("G.net." + p.name, p.parameter)).ToList();
        var dNamed = body.named_parameters().Select(p => ("D.body." + p.name, p.parameter))
            .Concat(head.named_parameters().Select(p => ("D.head." + p.name, p.parameter))).ToList();
        var buffers = g.named_buffers().Select(b => ("G.net." + b.name, b.buffer))
            .Concat(body.named_buffers().Select(b => ("D.body." + b.name, b.buffer))).ToList();
        SetFormulaWeights(gNamed.Concat(dNamed).ToList());
        foreach (var (name, p) in gNamed.Concat(dNamed)) golden.Add(name, p);

        var gOpt = optim.Adam(gNamed.Select(p => p.parameter), lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8);
        var dOpt = optim.Adam(dNamed.Select(p => p.parameter), lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8);
        for (int t = 1; t <= Steps; t++)
        {
            var real = Real(t - 1);
            var z = Noise(t - 1);
            golden.Add($"real{t - 1}", real);
            golden.Add($"z{t - 1}", z);
            int b = (int)real.shape[0];
            var isReal = ones(b, 1, dtype: ScalarType.Float64);
            var isFake = zeros(b, 1, dtype: ScalarType.Float64);

            var fake = g.forward(z);                                                            // (B, 784)
            dOpt.zero_grad();
            var dLoss = F.binary_cross_entropy_with_logits(D(real), isReal)
                      + F.binary_cross_entropy_with_logits(D(fake.detach()), isFake);
            dLoss.backward();
            foreach (var (name, p) in dNamed) golden.Add($"step{t}.{name}.grad_d", p.grad!);
            dOpt.step();

            gOpt.zero_grad();
            var gLoss = F.binary_cross_entropy_with_logits(D(fake), isReal);
            gLoss.backward();
            foreach (var (name, p) in gNamed) golden.Add($"step{t}.{name}.grad", p.grad!);
            foreach (var (name, p) in dNamed) golden.Add($"step{t}.{name}.grad", p.grad!);
            gOpt.step();

            golden.AddScalar($"step{t}.d_loss", dLoss);
            golden.AddScalar($"step{t}.g_loss", gLoss);
            foreach (var (name, p) in gNamed.Concat(dNamed)) golden.Add($"step{t}.{name}", p);
            foreach (var (name, buffer) in buffers)
                if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                    { if (t == Steps) golden.AddScalar(name, buffer.item<long>()); }
                else golden.Add($"step{t}.{name}", buffer);
        }
        return golden;
    }

    // The layer number L counts the modules with parameters in the order of the description.
    private static void SetFormulaWeights(List<(string Name, Parameter P)> named)
    {
        using var _ = no_grad();
        var layers = named.Select(n => n.Name[..n.Name.LastIndexOf('.')]).Distinct().ToList();
        foreach (var (name, p) in named)
        {
            string module = name[..name.LastIndexOf('.')];
            int layer = layers.IndexOf(module) + 1;
            bool isBatchNorm = p.shape.Length == 1 && named.Any(n => n.Name == module + ".weight" && n.P.shape.Length == 1);
            bool isBias = name.EndsWith(".bias", StringComparison.Ordinal);
            Func<int, double> formula = (isBatchNorm, isBias) switch
            {
                (true, false) => k => 1 + 0.1 * Math.Sin(k + layer),
                (true, true) => k => 0.05 * Math.Cos(k + layer),
                (false, false) => k => 0.1 * Math.Sin(0.37 * k + layer),
                (false, true) => k => 0.02 * Math.Cos(0.73 * k + layer),
            };
            p.copy_(Formula.Flat(p.shape, formula));
        }
    }
}
