using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

/// <summary>Checkpoints are safetensors now; old scratch-checkpoint files still load and `scratch convert` rewrites them.</summary>
public class ConvertTests
{
    [Test]
    public void TrainWritesSafetensorsWithPyTorchNames()
    {
        var content = Safetensors.Load(TinyRuns.Checkpoint(TinyRuns.Vae));
        Assert.That(content.Tensors.Select(t => t.Name), Does.Contain("encoder.0.weight").And.Contain("decoder.2.bias").And.Contain("optimizer.m.0"));
        Assert.That(content.Metadata[ModelCheckpoint.VersionKey], Is.EqualTo("2"));
        Assert.That(content.Metadata[ModelCheckpoint.MetadataKey], Does.Contain("\"content\":\"scratch-autoencoder\""));
    }

    [Test]
    public void AnOldCheckpointLoadsAndConvertsToTheSameModel()
    {
        using var temp = new TempFolder();
        var (metadata, arrays) = ModelCheckpoint.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        var old = temp.File("old.scratch");
        CheckpointWriter.Write(old, metadata, arrays); // the version-1 format
        Assert.That(ModelCheckpoint.IsOldFormat(old), Is.True);
        CliRunner.Ok("eval", old);

        var result = CliRunner.Ok("convert", old, "--out", temp.File("new.scratch"));
        Assert.That(result.Output, Does.Contain("converted"));
        Assert.That(ModelCheckpoint.IsOldFormat(temp.File("new.scratch")), Is.False);
        var a = ModelCheckpoint.Load(old);
        var b = ModelCheckpoint.Load(temp.File("new.scratch"));
        Assert.That(b.EpochsDone, Is.EqualTo(a.EpochsDone));
        Assert.That(b.OptimizerSteps, Is.EqualTo(a.OptimizerSteps));
        foreach (var ((name, x), (_, y)) in a.Model.NamedState().Zip(b.Model.NamedState()))
            Assert.That(y.ToArray<float>(), Is.EqualTo(x.ToArray<float>()), name);

        CliRunner.Ok("convert", old); // in place
        Assert.That(ModelCheckpoint.IsOldFormat(old), Is.False);
        Assert.That(CliRunner.Ok("convert", old).Output, Does.Contain("nothing to do"));
    }

    [Test]
    public void ASafetensorsFileWithoutTrainingStateSaysHowToLoadIt()
    {
        using var temp = new TempFolder();
        Safetensors.Save(temp.File("w.safetensors"), [("encoder.0.weight", Tensor.Zeros([2, 2]))]);
        CliRunner.Run("eval", temp.File("w.safetensors")).AssertOneLineError(1, "without Scratch's training state", "LoadStateDict");
    }
}
