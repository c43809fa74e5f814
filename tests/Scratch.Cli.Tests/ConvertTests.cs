using Scratch.Cli.Commands;
using Scratch.Cli.Tests.Convert;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

/// <summary>Checkpoints are safetensors; an old scratch-checkpoint file is refused with the way out named, and `scratch convert` rewrites it.</summary>
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
    public void AnOldCheckpointIsRefusedThenConvertsToTheSameModel()
    {
        using var temp = new TempFolder();
        var (metadata, arrays) = ModelCheckpoint.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        var old = temp.File("old.scratch");
        CheckpointWriter.Write(old, metadata, arrays); // the version-1 format
        Assert.That(ConvertCommand.IsOldFormat(old), Is.True);
        CliRunner.Run("eval", old).AssertOneLineError(1, old, "older Scratch", $"scratch convert {old}");
        Assert.Throws<OldCheckpointFormatException>(() => ModelCheckpoint.Load(old));

        var result = CliRunner.Ok("convert", old, "--out", temp.File("new.scratch"));
        Assert.That(result.Output, Does.Contain("converted"));
        Assert.That(ConvertCommand.IsOldFormat(temp.File("new.scratch")), Is.False);
        Assert.That(ConvertCommand.IsOldFormat(old), Is.True, "--out leaves the old file as it was");
        var a = ModelCheckpoint.Load(TinyRuns.Checkpoint(TinyRuns.Vae));
        var b = ModelCheckpoint.Load(temp.File("new.scratch"));
        Assert.That(b.EpochsDone, Is.EqualTo(a.EpochsDone));
        Assert.That(b.OptimizerSteps, Is.EqualTo(a.OptimizerSteps));
        foreach (var ((name, x), (_, y)) in a.Model.NamedState().Zip(b.Model.NamedState()))
            Assert.That(y.ToArray<float>(), Is.EqualTo(x.ToArray<float>()), name);

        CliRunner.Ok("convert", old); // in place
        Assert.That(ConvertCommand.IsOldFormat(old), Is.False);
        CliRunner.Ok("eval", old);
        Assert.That(CliRunner.Ok("convert", old).Output, Does.Contain("nothing to do"));
    }

    [Test]
    public void AnOldFileThatIsNoModelIsRefusedAndNothingIsWritten()
    {
        using var temp = new TempFolder();
        var (metadata, arrays) = ModelCheckpoint.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        var old = temp.File("old.scratch");
        CheckpointWriter.Write(old, metadata, arrays.Where(a => a.Name != "decoder.0.weight"));
        byte[] before = File.ReadAllBytes(old);
        CliRunner.Run("convert", old).AssertOneLineError(1, old, "'decoder.0.weight'");
        Assert.That(File.ReadAllBytes(old), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(temp.Path), Is.EqualTo(new[] { old }), "no trial file left behind");
    }

    [Test]
    public void ASafetensorsFileWithoutTrainingStateSaysHowToLoadIt()
    {
        using var temp = new TempFolder();
        Safetensors.Save(temp.File("w.safetensors"), [("encoder.0.weight", Tensor.Zeros([2, 2]))]);
        CliRunner.Run("eval", temp.File("w.safetensors")).AssertOneLineError(1, "without Scratch's training state", "LoadStateDict");
    }
}
