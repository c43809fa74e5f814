using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

// Inside the namespace, so it wins over Scratch.Tensor: in this file every tensor is a torch tensor.
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// The TorchSharp twin of a Scratch autoencoder: the same layers, the same loss, written the way a
/// TorchSharp user would (functional linear layers, torch.optim.Adam), starting from a copy of the
/// Scratch model's parameters so the first step's loss can be checked equal.
/// </summary>
public sealed class TorchAutoencoder
{
    private readonly Autoencoder _model;
    private readonly Parameter[] _encoderW, _encoderB, _decoderW, _decoderB;
    private readonly Func<Tensor, Tensor> _activation;

    public string Kind => _model.Kind;
    public int LatentSize => _model.Config.LatentSize;

    /// <summary>Every parameter, in the order of Scratch's <c>Parameters()</c> (encoder then decoder, W then b).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public TorchAutoencoder(Autoencoder scratch)
    {
        TorchRuntime.Ensure();
        _model = scratch;
        (_encoderW, _encoderB) = CopyLayers(scratch.Encoder);
        (_decoderW, _decoderB) = CopyLayers(scratch.Decoder);
        _activation = scratch.Config.Activation switch
        {
            Activation.Relu => x => F.relu(x),
            Activation.Sigmoid => x => torch.sigmoid(x),
            Activation.Tanh => x => torch.tanh(x),
            var a => throw new NotSupportedException($"TorchAutoencoder: activation {a} has no twin here"),
        };
        Parameters = [.. Interleave(_encoderW, _encoderB), .. Interleave(_decoderW, _decoderB)];
    }

    private static (Parameter[] W, Parameter[] B) CopyLayers(Sequential net)
    {
        var layers = net.Layers.OfType<Linear>().ToArray();
        var w = layers.Select(l => new Parameter(Copy(l.Weight.Data))).ToArray();
        var b = layers.Select(l => new Parameter(Copy(l.Bias!.Data))).ToArray();
        return (w, b);
    }

    private static Tensor Copy(Scratch.Tensor t) =>
        TorchRuntime.FromArray(t.ToArray<float>(), [.. t.ShapeArray.Select(d => (long)d)]);

    private static IEnumerable<Parameter> Interleave(Parameter[] w, Parameter[] b) =>
        w.Zip(b).SelectMany(p => new[] { p.First, p.Second });

    // x: (B, In) → (B, Out): linear layers with the activation between them, none after the last.
    private Tensor Mlp(Tensor x, Parameter[] w, Parameter[] b)
    {
        for (int i = 0; i < w.Length; i++)
        {
            x = F.linear(x, w[i], b[i]);
            if (i + 1 < w.Length) x = _activation(x);
        }
        return x;
    }

    // Per sample: BCE on logits summed over pixels, or squared error of sigmoid(logits).
    private Tensor Reconstruction(Tensor logits, Tensor x) =>
        (_model.Config.Loss == ReconstructionLoss.Bce
            ? F.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum)
            : F.mse_loss(torch.sigmoid(logits), x, reduction: nn.Reduction.Sum)) / x.shape[0];

    /// <summary>
    /// The training loss of one batch x: (B, In). <paramref name="noise"/> is the variant's random draw
    /// (ε: (B, Latent) for the VAE, N(0, 1): (B, In) for the Gaussian denoiser); null draws it with torch.
    /// </summary>
    public Tensor Loss(Tensor x, Tensor? noise = null)
    {
        long batch = x.shape[0];
        switch (_model)
        {
            case UndercompleteAutoencoder:
                return Reconstruction(Mlp(Mlp(x, _encoderW, _encoderB), _decoderW, _decoderB), x);

            case SparseAutoencoder { Penalty: SparsityPenalty.KlDivergence kl }:
            {
                var code = torch.sigmoid(Mlp(x, _encoderW, _encoderB));
                var p = code.mean([0]).clamp(1e-7, 1 - 1e-7);
                var penalty = (kl.Rho * torch.log(kl.Rho / p) + (1 - kl.Rho) * torch.log((1 - kl.Rho) / (1 - p))).sum() * kl.Beta;
                return Reconstruction(Mlp(code, _decoderW, _decoderB), x) + penalty;
            }

            case DenoisingAutoencoder { Corruption: Scratch.Models.Autoencoders.Corruption.Gaussian g }:
            {
                noise ??= torch.randn_like(x);
                var corrupted = g.Clip ? (x + noise * g.Sigma).clamp(0, 1) : x + noise * g.Sigma;
                return Reconstruction(Mlp(Mlp(corrupted, _encoderW, _encoderB), _decoderW, _decoderB), x);
            }

            case VariationalAutoencoder vae:
            {
                var head = Mlp(x, _encoderW, _encoderB);
                var mu = head[.., ..LatentSize];
                var logVar = head[.., LatentSize..];
                noise ??= torch.randn_like(mu);
                var z = mu + torch.exp(0.5 * logVar) * noise;
                var kl = -0.5 * (1 + logVar - mu.square() - logVar.exp()).sum() / batch;
                return Reconstruction(Mlp(z, _decoderW, _decoderB), x) + kl * vae.Beta;
            }

            case ContractiveAutoencoder cae:
            {
                // ‖∂h/∂x‖²_F of the whole encoder with J formed explicitly, per input (batched matmul):
                // J = D_L W_L ⋯ D₁ W₁ — a different route from Scratch's Gram-matrix closed form.
                var z = x;
                var slopes = new List<Tensor>();
                for (int i = 0; i + 1 < _encoderW.Length; i++)
                {
                    z = _activation(F.linear(z, _encoderW[i], _encoderB[i]));
                    slopes.Add(_model.Config.Activation switch
                    {
                        Activation.Relu => (z > 0).to(z.dtype),
                        Activation.Sigmoid => z * (1 - z),
                        _ => 1 - z.square(),
                    });
                }
                var h = torch.sigmoid(F.linear(z, _encoderW[^1], _encoderB[^1]));
                var jacobian = (h * (1 - h)).unsqueeze(2) * _encoderW[^1].unsqueeze(0);          // (B, Latent, h_{L−1})
                for (int i = _encoderW.Length - 2; i >= 0; i--)
                    jacobian = torch.matmul(jacobian * slopes[i].unsqueeze(1), _encoderW[i]);      // (B, Latent, h_{i−1})
                var penalty = jacobian.square().sum() / batch * cae.Lambda;
                return Reconstruction(Mlp(h, _decoderW, _decoderB), x) + penalty;
            }

            default:
                throw new NotSupportedException($"TorchAutoencoder: no twin for {_model.Kind} with these settings");
        }
    }
}
