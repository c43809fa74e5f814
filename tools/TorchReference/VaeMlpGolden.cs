using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.TorchReference;

/// <summary>
/// autograd_vae_mlp.json: forward values and every gradient of a tiny VAE, the model family the
/// Scratch engine trains, small enough to print. Layout follows PyTorch's Linear: W (out, in), b (out).
/// </summary>
internal static class VaeMlpGolden
{
    public const string FileName = "autograd_vae_mlp.json";

    private const string Description =
        "Tiny VAE MLP in float64, computed by TorchSharp 0.107 (libtorch 2.10). " +
        "x (4,6): x[i,j] = ((i*7 + j*3) % 11) / 10. " +
        "Layer L (1-based) with W_L (out,in), b_L (out): W_L[o,i] = 0.5*sin(0.37*(o*in + i) + L), b_L[o] = 0.1*cos(0.73*o + L); " +
        "W1 (5,6), W2 (6,5), W3 (5,3), W4 (6,5). eps (4,3): eps[i,j] = sin(1 + 3*i + j). " +
        "h1 = relu(x W1^T + b1); head = h1 W2^T + b2; mu = head[:, 0:3]; logvar = head[:, 3:6]; " +
        "z = mu + exp(0.5*logvar)*eps; h3 = tanh(z W3^T + b3); logits = h3 W4^T + b4; " +
        "bce = binary_cross_entropy_with_logits(logits, target=x, reduction=sum); " +
        "kl = -0.5*sum(1 + logvar - mu^2 - exp(logvar)); loss = bce + kl. " +
        "'<name>.grad' = d loss / d <name>. x.grad includes BOTH paths (x as encoder input and x as BCE target, " +
        "whose gradient is -logits); x.grad_target_detached is the gradient with the target treated as a constant " +
        "(only the encoder path).";

    // W_L[o,i] = 0.5·sin(0.37·(o·in + i) + L); b_L[o] = 0.1·cos(0.73·o + L).
    public static Tensor Weight(int layer, int outFeatures, int inFeatures) =>
        Formula.Matrix(outFeatures, inFeatures, (o, i) => 0.5 * Math.Sin(0.37 * (o * inFeatures + i) + layer));

    public static Tensor Bias(int layer, int outFeatures) =>
        Formula.Vector(outFeatures, o => 0.1 * Math.Cos(0.73 * o + layer));

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        // x: (4, 6), eps: (4, 3)
        var x = Formula.Matrix(4, 6, (i, j) => ((i * 7 + j * 3) % 11) / 10.0).requires_grad_();
        var eps = Formula.Matrix(4, 3, (i, j) => Math.Sin(1.0 + 3 * i + j));
        int[][] layerShapes = [[5, 6], [6, 5], [5, 3], [6, 5]];
        var weights = new Tensor[4];
        var biases = new Tensor[4];
        for (int l = 0; l < 4; l++)
        {
            weights[l] = Weight(l + 1, layerShapes[l][0], layerShapes[l][1]).requires_grad_();
            biases[l] = Bias(l + 1, layerShapes[l][0]).requires_grad_();
        }

        var forward = Forward(x, x, eps, weights, biases);
        forward.Loss.backward();

        golden.Add("x", x);
        golden.Add("eps", eps);
        for (int l = 0; l < 4; l++)
        {
            golden.Add($"W{l + 1}", weights[l]);
            golden.Add($"b{l + 1}", biases[l]);
        }
        golden.Add("h1", forward.H1);        // (4, 5)
        golden.Add("head", forward.Head);    // (4, 6)
        golden.Add("mu", forward.Mu);        // (4, 3)
        golden.Add("logvar", forward.LogVar); // (4, 3)
        golden.Add("z", forward.Z);          // (4, 3)
        golden.Add("h3", forward.H3);        // (4, 5)
        golden.Add("logits", forward.Logits); // (4, 6)
        for (int l = 0; l < 4; l++)
        {
            golden.Add($"W{l + 1}.grad", weights[l].grad!);
            golden.Add($"b{l + 1}.grad", biases[l].grad!);
        }
        golden.Add("x.grad", x.grad!);

        // Second pass: the same loss with the BCE target detached, for engines whose BCE does not
        // differentiate its target.
        var x2 = x.detach().clone().requires_grad_();
        Forward(x2, x2.detach(), eps, weights, biases).Loss.backward();
        golden.Add("x.grad_target_detached", x2.grad!);

        golden.AddScalar("bce", forward.Bce);
        golden.AddScalar("kl", forward.Kl);
        golden.AddScalar("loss", forward.Loss);
        return golden;
    }

    private sealed record ForwardValues(Tensor H1, Tensor Head, Tensor Mu, Tensor LogVar, Tensor Z, Tensor H3,
        Tensor Logits, Tensor Bce, Tensor Kl, Tensor Loss);

    private static ForwardValues Forward(Tensor x, Tensor target, Tensor eps, Tensor[] w, Tensor[] b)
    {
        var h1 = F.relu(F.linear(x, w[0], b[0]));             // (4, 6) → (4, 5)
        var head = F.linear(h1, w[1], b[1]);                  // (4, 5) → (4, 6)
        var mu = head.narrow(1, 0, 3);                        // (4, 3)
        var logvar = head.narrow(1, 3, 3);                    // (4, 3)
        var z = mu + (0.5 * logvar).exp() * eps;              // reparameterization: (4, 3)
        var h3 = F.linear(z, w[2], b[2]).tanh();              // (4, 3) → (4, 5)
        var logits = F.linear(h3, w[3], b[3]);                // (4, 5) → (4, 6)
        var bce = F.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.Sum);
        var kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum();
        return new ForwardValues(h1, head, mu, logvar, z, h3, logits, bce, kl, bce + kl);
    }
}
