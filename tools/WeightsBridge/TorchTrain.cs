using Scratch.Models.Data;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.WeightsBridge;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// Direction TorchSharp → Scratch: trains a <see cref="TorchVae"/> in TorchSharp alone (torch.optim.Adam,
/// torch's RNG, the loss of pytorch/examples' VAE), saves it as safetensors with TorchSharp.PyBridge and
/// stores TorchSharp's reconstructions of the fixed digits beside it. The main test suite loads that
/// file with Scratch's reader and must reconstruct the same digits (tests/Scratch.Models.Tests/Checkpoints/WeightsBridgeTests.cs).
/// </summary>
internal static class TorchTrain
{
    public static int Run(string safetensors, string jsonPath, int[] hidden, int latent, int epochs)
    {
        torch.manual_seed(1);
        var train = DataSource.Sample().Train;   // the bytes of the bundled sample
        int input = train.PixelsPerImage, batch = 128;
        var images = torch.tensor(train.ToFloats(), [train.Count, input]);
        var vae = new TorchVae(input, hidden, latent);
        var adam = torch.optim.Adam(vae.parameters(), lr: 1e-3);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            vae.train();
            var order = torch.randperm(train.Count);
            double total = 0;
            for (int start = 0; start < train.Count; start += batch)
            {
                using var scope = torch.NewDisposeScope();
                var x = images.index_select(0, order[start..Math.Min(start + batch, train.Count)]);
                var (mu, logVar) = vae.Posterior(x);
                var z = mu + torch.exp(0.5 * logVar) * torch.randn_like(mu);
                var bce = F.binary_cross_entropy_with_logits(vae.Decode(z), x, reduction: nn.Reduction.Sum);
                var kl = -0.5 * (1 + logVar - mu.square() - logVar.exp()).sum();
                var loss = (bce + kl) / x.shape[0];
                adam.zero_grad();
                loss.backward();
                adam.step();
                total += loss.item<float>() * x.shape[0];
            }
            Console.WriteLine($"epoch {epoch}: loss per digit {total / train.Count:F2}");
        }
        vae.save_safetensors(safetensors);

        int digits = ScratchSide.Digits;
        var file = new BridgeFile
        {
            Description = $"TorchSharp {input}-{string.Join("-", hidden)}-{latent} VAE (ReLU, BCE on logits, Adam 1e-3, batch 128, "
                + $"torch.manual_seed(1), {epochs} epochs on data/mnist-sample) saved by TorchSharp.PyBridge's save_safetensors as "
                + $"{Path.GetFileName(safetensors)}; torchsharp.reconstruction: TorchSharp's sigmoid(decoder(mu)) of the first {digits} test images",
        };
        file.SetSizes(input, hidden, latent, digits);
        file.Tensors["torchsharp.reconstruction"] = ([digits, input], vae.Reconstruct(ScratchSide.FixedDigits(digits), digits, input));
        file.Write(jsonPath);
        Console.WriteLine($"wrote {safetensors} ({new FileInfo(safetensors).Length} bytes) and {jsonPath}");
        return 0;
    }
}
