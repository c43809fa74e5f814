using Scratch.Models.Autoencoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// The TorchSharp twin of Scratch's convolutional VAE (Models/Autoencoders/ConvNetworks): the same
/// torch.nn modules in the same order — encoder Unflatten, Conv2d(1,32,4,2,1), BatchNorm2d,
/// LeakyReLU(0.2), Conv2d(32,64,4,2,1), BatchNorm2d, LeakyReLU, Flatten, Linear(3136, 2·latent);
/// decoder Linear(latent, 3136), Unflatten, BatchNorm2d, LeakyReLU, ConvTranspose2d(64,32,4,2,1),
/// BatchNorm2d, LeakyReLU, ConvTranspose2d(32,1,4,2,1), Flatten — starting from a copy of the
/// Scratch model's parameters (the two Sequentials register parameters in the same order).
/// Loss per sample: BCE-sum on logits + KL, as VariationalAutoencoder.ComputeLoss.
/// </summary>
public sealed class TorchConvVae
{
    private readonly Sequential _encoder, _decoder;
    public int LatentSize { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    public TorchConvVae(VariationalAutoencoder scratch)
    {
        TorchRuntime.Ensure();
        if (scratch.Config.Architecture != Architecture.Conv)
            throw new ArgumentException("TorchConvVae: the Scratch model is not a conv VAE");
        LatentSize = scratch.Config.LatentSize;
        _encoder = nn.Sequential(
            nn.Unflatten(1, [1, 28, 28]),
            nn.Conv2d(1, 32, 4, stride: 2, padding: 1), nn.BatchNorm2d(32), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 4, stride: 2, padding: 1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 2 * LatentSize));
        _decoder = nn.Sequential(
            nn.Linear(LatentSize, 64 * 7 * 7), nn.Unflatten(1, [64, 7, 7]), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(64, 32, 4, stride: 2, padding: 1), nn.BatchNorm2d(32), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(32, 1, 4, stride: 2, padding: 1), nn.Flatten());
        Parameters = [.. _encoder.parameters(), .. _decoder.parameters()];
        var source = scratch.Parameters().ToArray();
        if (source.Length != Parameters.Count)
            throw new InvalidOperationException($"TorchConvVae: {Parameters.Count} torch parameters, {source.Length} Scratch ones");
        using (no_grad())
            for (int i = 0; i < source.Length; i++)
            {
                var values = TorchRuntime.FromArray(source[i].Data.ToArray<float>(), [.. source[i].Data.ShapeArray.Select(d => (long)d)]);
                if (!values.shape.SequenceEqual(Parameters[i].shape))
                    throw new InvalidOperationException($"TorchConvVae: parameter {i} is [{string.Join(", ", Parameters[i].shape)}] in torch, [{string.Join(", ", values.shape)}] in Scratch");
                Parameters[i].copy_(values);
            }
    }

    public void Train(bool training = true)
    {
        _encoder.train(training);
        _decoder.train(training);
    }

    /// <summary>Loss per sample of a batch x: (B, 784); ε: (B, latent), drawn by torch when null.</summary>
    public Tensor Loss(Tensor x, Tensor? noise = null)
    {
        var head = _encoder.forward(x);
        var mu = head[.., ..LatentSize];
        var logVar = head[.., LatentSize..];
        noise ??= torch.randn_like(mu);
        var z = mu + torch.exp(0.5 * logVar) * noise;
        var logits = _decoder.forward(z);
        long batch = x.shape[0];
        var bce = F.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum) / batch;
        var kl = -0.5 * (1 + logVar - mu.square() - logVar.exp()).sum() / batch;
        return bce + kl;
    }
}
