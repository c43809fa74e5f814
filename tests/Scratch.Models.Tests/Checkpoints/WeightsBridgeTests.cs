using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Models.Tests.Checkpoints;

/// <summary>
/// Weights that cross to and from an independent implementation (issue 14): safetensors files
/// written by TorchSharp through TorchSharp.PyBridge, and by Scratch then read by it, with the
/// other side's reconstructions of six test digits pinned beside them in tests/golden. Both
/// fixtures and the commands that made them: tools/README.md, "WeightsBridge". No TorchSharp here.
/// </summary>
public class WeightsBridgeTests
{
    /// <summary>
    /// |Scratch − TorchSharp| on a pixel in [0, 1]: the same float32 formula with dot products summed
    /// in other orders (measured 1.5e-7 and 1.8e-7, a couple of float32 ulps). A weight read
    /// transposed, a wrong name or μ and log σ² swapped moves pixels by 1e-2 or more.
    /// </summary>
    private const double Tolerance = 1e-6;

    private static readonly string[] PyTorchNames =
        ["encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
         "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"];

    // The first n test images of the bundled sample, as the tool read them: (n, 784).
    private static Tensor FixedDigits(int n)
    {
        var test = DataSource.Load(DataSource.SampleDirectory()).Test;
        return Tensor.FromArray(test.ToFloats(0, n), n, test.PixelsPerImage);
    }

    private static double MaxDifference(Tensor scratch, Tensor torchSharp)
    {
        Assert.That(scratch.ShapeArray, Is.EqualTo(torchSharp.ShapeArray));
        var a = scratch.ToArray<float>();
        var b = torchSharp.ToArray<double>().Select(v => (float)v).ToArray();   // float32 values, stored exactly
        return a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));
    }

    [Test]
    public void AVaeTrainedAndSavedByTorchSharpReconstructsTheSameDigitsInScratch()
    {
        var golden = Golden.Load("weights_torchsharp_vae.json");
        var content = Safetensors.Load(Golden.PathOf("weights_torchsharp_vae.safetensors"));
        Assert.That(content.Tensors.Select(t => t.Name), Is.EqualTo(PyTorchNames), "PyBridge writes the state_dict in module order");
        Assert.That(content.Metadata, Is.Empty, "PyBridge writes no __metadata__ (so no checksums: the file loads unverified)");

        var config = new AutoencoderConfig
        {
            InputSize = (int)golden.Scalar("input"),
            HiddenSizes = [(int)golden.Scalar("hidden.0")],
            LatentSize = (int)golden.Scalar("latent"),
        };
        var model = new VariationalAutoencoder(config, new Rng(7));
        var digits = FixedDigits((int)golden.Scalar("digits"));
        var expected = golden.Tensor("torchsharp.reconstruction");
        double untrained = MaxDifference(model.Reconstruct(digits), expected);

        var (missing, unexpected) = model.LoadStateDict(content.ByName, strict: true);
        Assert.That(missing, Is.Empty);
        Assert.That(unexpected, Is.Empty);
        double loaded = MaxDifference(model.Reconstruct(digits), expected);

        TestContext.Out.WriteLine($"TorchSharp-written VAE: max |Scratch − TorchSharp| {loaded:E2} (untrained: {untrained:E2})");
        Assert.That(loaded, Is.LessThanOrEqualTo(Tolerance), "Scratch runs TorchSharp's weights to TorchSharp's outputs");
        Assert.That(untrained, Is.GreaterThan(1e-2), "the comparison can fail: Scratch's own initial weights are far off");
    }

    [Test]
    public void AVaeTrainedByScratchGivesTheDigitsTorchSharpGotFromItsFile()
    {
        var golden = Golden.Load("weights_scratch_vae.json");
        var path = Golden.PathOf("weights_scratch_vae.safetensors");
        var loaded = ModelCheckpoint.Load(path);   // the file `scratch train` wrote, Adam's moments and CRC-32s included
        Assert.That(loaded.Spec.Kind, Is.EqualTo("vae"));
        Assert.That(Safetensors.Load(path).Tensors.Select(t => t.Name).Where(n => !n.StartsWith("optimizer.", StringComparison.Ordinal)),
            Is.EqualTo(PyTorchNames), "the names TorchSharp's nn.Sequential modules looked up");

        var digits = FixedDigits((int)golden.Scalar("digits"));
        double difference = MaxDifference(loaded.Model.Reconstruct(digits), golden.Tensor("torchsharp.reconstruction"));
        TestContext.Out.WriteLine($"Scratch-written VAE: max |Scratch − TorchSharp| {difference:E2}");
        Assert.That(difference, Is.LessThanOrEqualTo(Tolerance),
            "TorchSharp, loading this file through PyBridge, reconstructed the same digits");
        Assert.That(golden.Scalar("max_abs_difference"), Is.LessThanOrEqualTo(Tolerance), "as the tool measured when it made the fixture");
    }
}
