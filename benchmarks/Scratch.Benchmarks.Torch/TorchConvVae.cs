using Scratch.Models.Autoencoders;
using ConvStages = Scratch.Models.Nn.ConvStages;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

using Tensor = TorchSharp.torch.Tensor;
using Layer = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

/// <summary>
/// The TorchSharp twin of Scratch's convolutional VAE (Models/Autoencoders/ConvNetworks) for any
/// C×H×W, sized by the Scratch model's own <see cref="ConvStages"/>: the same torch.nn modules in
/// the same order — encoder Unflatten(1, (C, H, W)), then per stage s Conv2d(c_{s−1}, c_s, 4, 2, 1),
/// BatchNorm2d, LeakyReLU(0.2), then Flatten, Linear(c_S·h_S·w_S, 2·latent); decoder
/// Linear(latent, c_S·h_S·w_S), Unflatten, BatchNorm2d, LeakyReLU, then per stage from the last
/// ConvTranspose2d(c_s, c_{s−1}, 4, 2, 1, output padding), BatchNorm2d and LeakyReLU (none after
/// the last, which gives the C-channel logits), Flatten. For 28×28 grey: Conv2d(1,32), Conv2d(32,64),
/// Linear(3136, 40); Linear(20, 3136), ConvTranspose2d(64,32), ConvTranspose2d(32,1). It starts from a
/// copy of the Scratch model's parameters (the two register parameters in the same order).
/// Loss per sample: BCE-sum on logits + KL, as VariationalAutoencoder.ComputeLoss.
/// </summary>
public sealed class TorchConvVae
{
    private readonly Layer[] _encoder, _decoder;
    public int LatentSize { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    public TorchConvVae(VariationalAutoencoder scratch)
    {
        TorchRuntime.Ensure();
        if (scratch.Config.Architecture != Architecture.Conv)
            throw new ArgumentException("TorchConvVae: the Scratch model is not a conv VAE");
        LatentSize = scratch.Config.LatentSize;
        var stages = scratch.Config.Stages();
        var (image, bottom, top) = (stages.Image, stages.Bottom, stages.Count);
        // x: (B, C·H·W) → (B, C, H, W) → … → (B, c_S, h_S, w_S) → (B, 2·latent)
        var encoder = new List<Layer> { nn.Unflatten(1, [image.Channels, image.Height, image.Width]) };
        for (int s = 1; s <= top; s++)
            encoder.AddRange([TorchStages.Down(stages, s), nn.BatchNorm2d(stages.Channels(s)), nn.LeakyReLU(0.2)]);
        encoder.AddRange([nn.Flatten(), nn.Linear(stages.Flat, 2 * LatentSize)]);
        // z: (B, latent) → (B, c_S, h_S, w_S) → … → logits (B, C, H, W) → (B, C·H·W)
        var decoder = new List<Layer>
        {
            nn.Linear(LatentSize, stages.Flat), nn.Unflatten(1, [stages.BottomChannels, bottom.H, bottom.W]),
            nn.BatchNorm2d(stages.BottomChannels), nn.LeakyReLU(0.2),
        };
        for (int s = top; s >= 2; s--)
            decoder.AddRange([TorchStages.Up(stages, s), nn.BatchNorm2d(stages.Channels(s - 1)), nn.LeakyReLU(0.2)]);
        decoder.AddRange([TorchStages.Up(stages, 1), nn.Flatten()]);
        (_encoder, _decoder) = ([.. encoder], [.. decoder]);
        Parameters = [.. _encoder.Concat(_decoder).SelectMany(m => m.parameters())];
        TorchStages.CopyParameters("TorchConvVae", Parameters, [.. scratch.Parameters()]);
    }

    public void Train(bool training = true)
    {
        foreach (var layer in _encoder.Concat(_decoder)) layer.train(training);
    }

    /// <summary>Loss per sample of a batch x: (B, C·H·W); ε: (B, latent), drawn by torch when null.</summary>
    public Tensor Loss(Tensor x, Tensor? noise = null)
    {
        var head = TorchStages.Forward(_encoder, x);
        var mu = head[.., ..LatentSize];
        var logVar = head[.., LatentSize..];
        noise ??= torch.randn_like(mu);
        var z = mu + torch.exp(0.5 * logVar) * noise;
        var logits = TorchStages.Forward(_decoder, z);
        long batch = x.shape[0];
        var bce = F.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum) / batch;
        var kl = -0.5 * (1 + logVar - mu.square() - logVar.exp()).sum() / batch;
        return bce + kl;
    }
}
