using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.WeightsBridge;

/// <summary>
/// The Scratch half of direction Scratch → TorchSharp: Scratch's own loader and forward pass,
/// nothing of TorchSharp. Reads a checkpoint written by <c>scratch train</c> and stores Scratch's
/// reconstructions of the fixed digits beside it, for <see cref="TorchCheck"/> to compare with.
/// </summary>
internal static class ScratchSide
{
    public const int Digits = 6;

    /// <summary>The first <paramref name="count"/> test images of data/mnist-sample: (count, 784) row-major.</summary>
    public static float[] FixedDigits(int count)
    {
        var test = DataSource.Sample().Test;
        return test.ToFloats(0, count);
    }

    public static int Run(string checkpoint, string jsonPath)
    {
        var loaded = ModelCheckpoint.Load(checkpoint);
        var config = loaded.Spec.Config;
        if (loaded.Spec.Kind != "vae" || config.Architecture != Scratch.Models.Autoencoders.Architecture.Mlp
            || config.Activation != Scratch.Models.Nn.Activation.Relu || config.Loss != Scratch.Models.Autoencoders.ReconstructionLoss.Bce)
            throw new ArgumentException($"{checkpoint}: the bridge checks MLP VAEs with ReLU and BCE; this is a {loaded.Spec.Kind} {config.Describe()} with {config.Activation}, {config.Loss}");
        var digits = FixedDigits(Digits);
        var x = Tensor.FromArray(digits, Digits, config.InputSize);
        var reconstruction = loaded.Model.Reconstruct(x).ToArray<float>();     // sigmoid(decoder(μ))

        var file = new BridgeFile
        {
            Description = $"Scratch {config.Describe()} VAE from {Path.GetFileName(checkpoint)} ({loaded.EpochsDone} epochs): "
                + $"reconstructions sigmoid(decoder(mu)) of the first {Digits} test images of data/mnist-sample; "
                + "scratch.* by Scratch, torchsharp.* by TorchSharp after loading the file through TorchSharp.PyBridge (tools/WeightsBridge)",
        };
        file.SetSizes(config.InputSize, config.HiddenSizes, config.LatentSize, Digits);
        file.Tensors["scratch.reconstruction"] = ([Digits, config.InputSize], reconstruction);
        file.Write(jsonPath);
        Console.WriteLine($"wrote Scratch's reconstructions of {Digits} digits by {checkpoint} to {jsonPath}");
        return 0;
    }
}
