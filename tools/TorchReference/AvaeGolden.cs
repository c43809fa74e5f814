using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.TorchReference;

/// <summary>
/// avae_step.json: one training step of the autoencoding VAE (Cemgil et al. 2020; the objective of
/// deepmind-research avae/vae.py, VAE.avae_elbo, with Scratch's BCE data term) in float64, on an
/// MLP of Scratch's layout (src/Models/Autoencoders/AutoencodingVae.cs): encoder 12-8-6 (μ and
/// log σ² of a 3-wide code), decoder 3-8-12, ReLU between layers. Two parts from the same initial
/// weights: "step", the AVAE on data with torch.optim.Adam over every parameter; and "post", the
/// post-processing step (images decoded from z₀, Adam over the encoder only). The noise ε and z₀ are
/// inputs of the file, so both engines use the same samples. The aux images are detached (the code's
/// stop_gradient) and are the decoder's pixels, sigmoid(logits).
/// </summary>
internal static class AvaeGolden
{
    public const string FileName = "avae_step.json";
    public const int Batch = 4, Input = 12, Hidden = 8, Latent = 3;
    public const double Rho = 0.9, LearningRate = 1e-3;

    private const string Description =
        "One AVAE training step in float64, TorchSharp 0.107 (libtorch 2.10), torch.optim.Adam(lr 1e-3, betas (0.9, 0.999), eps 1e-8). " +
        "encoder = Sequential(0 Linear(12,8), 1 ReLU, 2 Linear(8,6)); decoder = Sequential(0 Linear(3,8), 1 ReLU, 2 Linear(8,12)). " +
        "Layer L = 1..4 in the order encoder.0, encoder.2, decoder.0, decoder.2: weight[o,i] = 0.5*sin(0.37*(o*in + i) + L), bias[o] = 0.1*cos(0.73*o + L). " +
        "x (4,12): x[i,j] = ((i*7 + j*3) % 11) / 10; eps (4,3): eps[i,j] = sin(1 + 3*i + j); z0 (4,3): z0[k] = 1.5*sin(0.7*k + 0.3) (k flat). rho = 0.9, beta = 1. " +
        "loss(x): head = encoder(x); mu = head[:, 0:3], logvar = head[:, 3:6]; z = mu + exp(0.5*logvar)*eps; logits = decoder(z); " +
        "reconstruction = bce_with_logits(logits, x, sum) / B; kl = -0.5*sum(1 + logvar - mu^2 - exp(logvar)) / B; " +
        "aux = sigmoid(logits).detach(); mu_aux, logvar_aux from encoder(aux); " +
        "conditional = mean_b sum_d (exp(logvar_aux) + rho^2*exp(logvar) + (mu_aux - rho*mu)^2) / (2*(1 - rho^2)) - 3*log(1/(2*pi)); " +
        "entropy = mean_b sum_d 0.5*log(2*pi*e*exp(logvar_aux)); loss = reconstruction + kl + conditional - entropy. " +
        "'step.*': loss(x), backward, '<name>.grad', Adam over every parameter, 'step.<name>' after it. " +
        "'post.*': from the same initial weights, images = sigmoid(decoder(z0)) without a graph, loss(images), backward, " +
        "'post.<name>.grad' for the encoder's parameters, Adam over the encoder's parameters only, 'post.<name>' after it (the decoder's unchanged).";

    public static Tensor X() => Formula.Matrix(Batch, Input, (i, j) => ((i * 7 + j * 3) % 11) / 10.0);
    public static Tensor Eps() => Formula.Matrix(Batch, Latent, (i, j) => Math.Sin(1.0 + 3 * i + j));
    public static Tensor Z0() => Formula.Flat([Batch, Latent], k => 1.5 * Math.Sin(0.7 * k + 0.3));

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        golden.Add("x", X());
        golden.Add("eps", Eps());
        golden.Add("z0", Z0());

        var (encoder, decoder, named) = Networks();
        foreach (var (name, p) in named) golden.Add(name, p);
        var initial = named.Select(n => n.P.detach().clone()).ToArray();

        // Part 1: the AVAE step on data, every parameter trained.
        var adam = optim.Adam(named.Select(n => n.P), lr: LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8);
        adam.zero_grad();
        var step = Loss(encoder, decoder, X(), Eps());
        step.Total.backward();
        AddTerms(golden, "step", step);
        foreach (var (name, p) in named) golden.Add($"step.{name}.grad", p.grad!);
        adam.step();
        foreach (var (name, p) in named) golden.Add($"step.{name}", p);

        // Part 2: post-processing from the same initial weights: the decoder's images, encoder trained.
        using (no_grad())
            for (int i = 0; i < named.Count; i++) named[i].P.copy_(initial[i]);
        var encoderNamed = named.Where(n => n.Name.StartsWith("encoder.", StringComparison.Ordinal)).ToList();
        var adamEncoder = optim.Adam(encoderNamed.Select(n => n.P), lr: LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8);
        foreach (var (_, p) in named) p.grad = null;
        Tensor images;
        using (no_grad())
            images = decoder.forward(Z0()).sigmoid();
        golden.Add("post.images", images);
        var post = Loss(encoder, decoder, images, Eps());
        post.Total.backward();
        AddTerms(golden, "post", post);
        foreach (var (name, p) in encoderNamed) golden.Add($"post.{name}.grad", p.grad!);
        adamEncoder.step();
        foreach (var (name, p) in named) golden.Add($"post.{name}", p);
        return golden;
    }

    private sealed record Terms(Tensor Total, Tensor Reconstruction, Tensor Kl, Tensor Conditional, Tensor Entropy);

    private static void AddTerms(GoldenFile golden, string prefix, Terms t)
    {
        golden.AddScalar($"{prefix}.loss", t.Total);
        golden.AddScalar($"{prefix}.reconstruction", t.Reconstruction);
        golden.AddScalar($"{prefix}.kl", t.Kl);
        golden.AddScalar($"{prefix}.conditional", t.Conditional);
        golden.AddScalar($"{prefix}.entropy", t.Entropy);
    }

    // The objective as avae_elbo writes it (x: (B, 12), eps: (B, 3)), negated and averaged over the batch.
    private static Terms Loss(Sequential encoder, Sequential decoder, Tensor x, Tensor eps)
    {
        long b = x.shape[0];
        var head = encoder.forward(x);                                        // (B, 6)
        var (mu, logvar) = (head.narrow(1, 0, Latent), head.narrow(1, Latent, Latent));
        var z = mu + (0.5 * logvar).exp() * eps;                              // (B, 3)
        var logits = decoder.forward(z);                                      // (B, 12)
        var reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum) / b;
        var kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum() / b;
        var aux = logits.sigmoid().detach();                                  // stop_gradient(decoder(z))
        var auxHead = encoder.forward(aux);
        var (muAux, logvarAux) = (auxHead.narrow(1, 0, Latent), auxHead.narrow(1, Latent, Latent));
        var (variance, varianceAux) = (logvar.exp(), logvarAux.exp());
        double rho2 = Rho * Rho;
        var expected = (varianceAux + rho2 * variance + (muAux - Rho * mu).pow(2)).sum(1).mean() / (2 * (1 - rho2));
        var conditional = expected - Latent * Math.Log(1 / (2 * Math.PI));   // −(latent_dim·log(1/2π) − E)
        var entropy = (0.5 * (2 * Math.PI * Math.E * varianceAux).log()).sum(1).mean();
        return new Terms(reconstruction + kl + conditional - entropy, reconstruction, kl, conditional, entropy);
    }

    private static (Sequential Encoder, Sequential Decoder, List<(string Name, Parameter P)> Named) Networks()
    {
        var encoder = nn.Sequential(nn.Linear(Input, Hidden), nn.ReLU(), nn.Linear(Hidden, 2 * Latent));
        var decoder = nn.Sequential(nn.Linear(Latent, Hidden), nn.ReLU(), nn.Linear(Hidden, Input));
        var named = encoder.named_parameters().Select(p => ("encoder." + p.name, p.parameter))
            .Concat(decoder.named_parameters().Select(p => ("decoder." + p.name, p.parameter))).ToList();
        using (no_grad())
        {
            var layers = named.Select(n => n.Item1[..n.Item1.LastIndexOf('.')]).Distinct().ToList();
            foreach (var (name, p) in named)
            {
                int layer = layers.IndexOf(name[..name.LastIndexOf('.')]) + 1;
                var value = name.EndsWith(".bias", StringComparison.Ordinal)
                    ? VaeMlpGolden.Bias(layer, (int)p.shape[0])
                    : VaeMlpGolden.Weight(layer, (int)p.shape[0], (int)p.shape[1]);
                p.copy_(value);
            }
        }
        return (encoder, decoder, named);
    }
}
