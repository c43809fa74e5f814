using System.Text.Json;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Checkpoints;

/// <summary>
/// A safetensors file written by an independent implementation — TorchSharp.PyBridge 1.4.4 saving a
/// TorchSharp-trained VAE 784-16-2 (tools/PyBridgeProof, which also checks the other direction) — loads
/// into Scratch's VAE by state_dict names and reconstructs the digits TorchSharp reconstructed.
/// </summary>
public class PyBridgeFixtureTests
{
    [Test]
    public void ATorchSharpTrainedVaeSavedByPyBridgeReconstructsTheSameDigitsInScratch()
    {
        var content = Safetensors.Load(Golden.PathOf("pybridge_vae.safetensors"));
        Assert.That(content.Metadata, Does.Not.ContainKey(Safetensors.ChecksumKey), "written by PyBridge, not by Scratch");
        var model = ModelFactory.Create(new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [16], LatentSize = 2 } }, new Rng(99));
        var (missing, unexpected) = model.LoadStateDict(content.ByName, strict: true);
        Assert.That(missing.Concat(unexpected), Is.Empty);

        var test = Batches.Take(MnistDataset.Load(MnistDataset.DefaultDirectory()).Test, 8);
        model.Eval();
        var ours = model.Reconstruct(Tensor.FromArray(test.Images, test.Count, test.PixelsPerImage)).ToArray<float>();
        using var expected = JsonDocument.Parse(File.ReadAllText(Golden.PathOf("pybridge_vae.json")));
        var theirs = expected.RootElement.GetProperty("reconstructions").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.That(ours, Has.Length.EqualTo(theirs.Length));
        for (int i = 0; i < ours.Length; i++)
            Assert.That(ours[i], Is.EqualTo(theirs[i]).Within(1e-5), $"pixel {i}");
    }
}
