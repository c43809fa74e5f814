using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

// --arch conv through every command: train, eval, sample, compare; checkpoints carry the
// architecture and BatchNorm's buffers. Tiny runs (128 digits, one epoch): a few seconds each.
public class ConvArchTests
{
    private static readonly string[] Tiny = ["--arch", "conv", "--latent", "4", "--batch", "64", "--train-limit", "128", "--test-limit", "64", "--epochs", "1"];

    [Test]
    public void AModelWithoutAConvArchitecture_IsAUsageErrorNamingTheFlag()
    {
        using var temp = new TempFolder();
        CliRunner.Run(["train", "--model", "sparse", "--out", temp.File("s"), .. Tiny]).AssertOneLineError(2, "--arch conv", "'sparse'", "--arch mlp");
        Assert.That(Directory.Exists(temp.File("s")), Is.False, "refused before the run folder is made");
    }

    [Test]
    public void TrainEvalSample_ConvVae_CheckpointKeepsArchitectureAndBuffers()
    {
        using var temp = new TempFolder();
        var run = temp.File("vae");
        CliRunner.Ok(["train", "--model", "vae", "--out", run, .. Tiny]);
        var loaded = ModelCheckpoint.Load(Path.Combine(run, "checkpoint.scratch"));
        Assert.That(loaded.Spec.Config.Architecture, Is.EqualTo(Architecture.Conv));
        Assert.That(loaded.Spec.Config.Describe(), Is.EqualTo("conv 1-32-64-4"));
        var bn = loaded.Model.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
        Assert.That(bn["encoder.2.num_batches_tracked"].Item(), Is.EqualTo(2), "two batches of 64 trained the encoder's first BatchNorm");
        Assert.That(bn["encoder.2.running_mean"].ToArray<float>().Any(v => v != 0), Is.True, "running statistics were saved and loaded");

        var eval = CliRunner.Ok("eval", Path.Combine(run, "checkpoint.scratch"), "--limit", "32");
        Assert.That(eval.Output, Does.Contain("PSNR dB").And.Contain("conv 1-32-64-4"));
        CliRunner.Ok("sample", Path.Combine(run, "checkpoint.scratch"), "--count", "8", "--out", temp.File("s.png"));
        Assert.That(File.Exists(temp.File("s.png")), Is.True);
    }

    [Test]
    public void Compare_ConvArch_TrainsTheConvFamily()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Ok(["compare", "--out", temp.Path, .. Tiny]);
        Assert.That(result.Output, Does.Contain("conv 1-32-64-4"));
        foreach (var kind in ModelSpec.ConvKinds)
            Assert.That(File.Exists(Path.Combine(temp.Path, kind, "checkpoint.scratch")), Is.True, kind);
        Assert.That(Directory.Exists(Path.Combine(temp.Path, "sparse")), Is.False);
    }

    [Test]
    public void ConvContractive_IsRefusedWithAClearMessage()
    {
        var result = CliRunner.Run(["train", "--model", "contractive", "--out", "unused", .. Tiny]);
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.Error, Does.Contain("contractive").And.Contain("conv"));
    }
}
