using TorchSharp;
using static TorchSharp.torch;

namespace Scratch.WeightsBridge;

// Inside the namespace, so it wins over Scratch.Tensor: in this file every tensor is a torch tensor.
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// The VAE written as a TorchSharp user would, with nothing taken from Scratch: two
/// <c>nn.Sequential</c> of <c>nn.Linear</c> and <c>nn.ReLU</c>, registered as <c>encoder</c> and
/// <c>decoder</c>, so its state_dict names are PyTorch's (<c>encoder.0.weight</c>, <c>encoder.2.bias</c>, …).
/// The encoder's last layer is the Gaussian head, 2·latent wide: μ first, log σ² second.
/// </summary>
internal sealed class TorchVae : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> encoder;   // field names are the state_dict prefixes
    private readonly nn.Module<Tensor, Tensor> decoder;
    public int Latent { get; }

    public TorchVae(int input, IReadOnlyList<int> hidden, int latent) : base(nameof(TorchVae))
    {
        Latent = latent;
        encoder = Mlp([input, .. hidden, 2 * latent]);
        decoder = Mlp([latent, .. hidden.Reverse(), input]);
        RegisterComponents();
    }

    // sizes [a, b, c] → Sequential("0": Linear(a, b), "1": ReLU, "2": Linear(b, c)).
    private static nn.Module<Tensor, Tensor> Mlp(int[] sizes)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            layers.Add(($"{layers.Count}", nn.Linear(sizes[i], sizes[i + 1])));
            if (i + 2 < sizes.Length) layers.Add(($"{layers.Count}", nn.ReLU()));
        }
        return nn.Sequential(layers);
    }

    // x: (B, In) → μ, log σ²: (B, Latent)
    public (Tensor Mu, Tensor LogVar) Posterior(Tensor x)
    {
        var head = encoder.forward(x);
        return (head[.., ..Latent], head[.., Latent..]);
    }

    /// <summary>Decoder logits. z: (B, Latent) → (B, In).</summary>
    public Tensor Decode(Tensor z) => decoder.forward(z);

    /// <summary>Logits of the reconstruction from the posterior mean. x: (B, In) → (B, In).</summary>
    public override Tensor forward(Tensor x) => Decode(Posterior(x).Mu);

    /// <summary>Pixels in [0, 1]: sigmoid(decoder(μ)), as Scratch's <c>Autoencoder.Reconstruct</c>.</summary>
    public float[] Reconstruct(float[] digits, int count, int input)
    {
        eval();
        using var _ = no_grad();
        var x = torch.tensor(digits, [count, input]);
        return torch.sigmoid(forward(x)).contiguous().data<float>().ToArray();
    }
}
