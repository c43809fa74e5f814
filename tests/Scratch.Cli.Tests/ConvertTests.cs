using System.Text.Json.Nodes;
using Scratch.Cli.Commands;
using Scratch.Cli.OldCheckpoints;
using Scratch.Cli.Tests.Convert;
using Scratch.Models.Checkpoints;
using Scratch.Models.Gans;

namespace Scratch.Cli.Tests;

/// <summary>
/// Checkpoints are one safetensors training state (format version 3). A file an older Scratch
/// wrote — version 1, the scratch-checkpoint format, or version 2, safetensors with one layout per
/// family — is refused with the way out named, and `scratch convert` rewrites it. The version-2
/// files are real ones, written by Scratch at ac169df (tests/golden/v2_checkpoints.json).
/// </summary>
public class ConvertTests
{
    private static readonly Golden G = Golden.Load("v2_checkpoints.json");

    [Test]
    public void TrainWritesSafetensorsWithPyTorchNames()
    {
        var content = Safetensors.Load(TinyRuns.Checkpoint(TinyRuns.Vae));
        Assert.That(content.Tensors.Select(t => t.Name), Does.Contain("encoder.0.weight").And.Contain("decoder.2.bias").And.Contain("optimizer.m.0"));
        Assert.That(content.Metadata[TrainingState.VersionKey], Is.EqualTo("3"));
        Assert.That(content.Metadata[TrainingState.MetadataKey], Does.Contain("\"content\":\"scratch-autoencoder\""));
    }

    [Test]
    public void AVersion2CheckpointIsRefused_ThenConverts_EvaluatesAndResumesAsThatVersionDid()
    {
        using var temp = new TempFolder();
        string path = temp.File("checkpoint.scratch");
        File.Copy(Golden.PathOf("v2_vae.safetensors"), path);
        Assert.That(ConvertCommand.IsOldFormat(path), Is.True);
        CliRunner.Run("eval", path).AssertOneLineError(1, path, "older Scratch", "version 2", $"scratch convert {path}");
        Assert.Throws<OldCheckpointFormatException>(() => ModelCheckpoint.Load(path));

        Assert.That(CliRunner.Ok("convert", temp.Path).Output, Does.Contain("converted"));
        Assert.That(ConvertCommand.IsOldFormat(path), Is.False);
        var eval = JsonNode.Parse(CliRunner.Ok("eval", path, "--split", "test", "--json").Output)!;
        Assert.That(eval["loss"]!.GetValue<double>(), Is.EqualTo(G.Scalar("eval.loss")));
        Assert.That(eval["terms"]!["reconstruction"]!.GetValue<double>(), Is.EqualTo(G.Scalar("eval.reconstruction")));
        Assert.That(eval["terms"]!["kl"]!.GetValue<double>(), Is.EqualTo(G.Scalar("eval.kl")));
        Assert.That(eval["clean"]!["re"]!.GetValue<double>(), Is.EqualTo(G.Scalar("eval.re")));
        Assert.That(eval["clean"]!["psnr"]!.GetValue<double>(), Is.EqualTo(G.Scalar("eval.psnr")));
        Assert.That(eval["clean"]!["ssim"]!.GetValue<double>(), Is.EqualTo(G.Scalar("eval.ssim")));

        // Resumed for a 4th epoch, the converted run gives bitwise the losses the old version's resume gave.
        CliRunner.Ok("train", "--resume", path, "--epochs", "4");
        var last = ModelCheckpoint.Load(path).History[^1];
        Assert.That((last.Epoch, last.TrainLoss, last.TestLoss), Is.EqualTo((4, G.Scalar("resume.epoch4.trainLoss"), G.Scalar("resume.epoch4.testLoss"))));
        Assert.That(CliRunner.Ok("convert", path).Output, Does.Contain("nothing to do"));
    }

    [Test]
    public void AVersion1CheckpointConvertsToTheSameWeights()
    {
        using var temp = new TempFolder();
        var (metadata, arrays) = Version2Parts(Golden.PathOf("v2_vae.safetensors"));
        var old = temp.File("old.scratch");
        CheckpointWriter.Write(old, metadata, arrays); // the version-1 format
        Assert.That(ConvertCommand.IsOldFormat(old), Is.True);
        CliRunner.Run("sample", old, "--out", temp.File("s.png")).AssertOneLineError(1, old, "version 1", $"scratch convert {old}");

        Assert.That(CliRunner.Ok("convert", old, "--out", temp.File("new.scratch")).Output, Does.Contain("converted"));
        Assert.That(ConvertCommand.IsOldFormat(old), Is.True, "--out leaves the old file as it was");
        var loaded = ModelCheckpoint.Load(temp.File("new.scratch"));
        Assert.That((loaded.EpochsDone, loaded.History.Count), Is.EqualTo((3, 3)));
        var stored = arrays.ToDictionary(a => a.Name);
        foreach (var (name, value) in loaded.Model.NamedState())
            Assert.That(value.ToArray<float>(), Is.EqualTo(stored[name].Float32), name);
        Assert.That(loaded.OptimizerSteps, Is.GreaterThan(0));
        CliRunner.Ok("convert", old); // in place
        Assert.That(ConvertCommand.IsOldFormat(old), Is.False);
    }

    [Test]
    public void AnOldFileThatIsNoModelIsRefusedAndNothingIsWritten()
    {
        using var temp = new TempFolder();
        var (metadata, arrays) = Version2Parts(Golden.PathOf("v2_vae.safetensors"));
        var old = temp.File("old.scratch");
        CheckpointWriter.Write(old, metadata, arrays.Where(a => a.Name != "decoder.0.weight"));
        byte[] before = File.ReadAllBytes(old);
        CliRunner.Run("convert", old).AssertOneLineError(1, old, "'decoder.0.weight'");
        Assert.That(File.ReadAllBytes(old), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(temp.Path), Is.EqualTo(new[] { old }), "no trial file left behind");
    }

    [Test]
    public void AVersion2GanCheckpointConverts_AndGenerateReusesItToTheSameScore()
    {
        using var temp = new TempFolder();
        string folder = temp.File("first");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "dcgan.checkpoint.scratch");
        File.Copy(Golden.PathOf("v2_dcgan.safetensors"), path);
        string[] generate = ["generate", "--quick", "--models", "dcgan", "--cache", temp.File("cache"), "--resume", folder, "--out", temp.File("second")];
        CliRunner.Run(generate).AssertOneLineError(1, path, "older Scratch", "scratch convert");

        CliRunner.Ok("convert", path);
        Assert.That(GanCheckpoint.EpochsDone(path), Is.EqualTo((int)G.Scalar("dcgan.epochsDone")));
        var output = CliRunner.Ok(generate).Output;
        Assert.That(output, Does.Contain("reusing"));
        var row = output.Split('\n').Single(l => l.StartsWith("DCGAN", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(G.Scalar("dcgan.fid")), "FID as the old version scored it");
    }

    [Test]
    public void ASafetensorsFileWithoutTrainingStateSaysHowToLoadIt()
    {
        using var temp = new TempFolder();
        Safetensors.Save(temp.File("w.safetensors"), [("encoder.0.weight", Tensor.Zeros([2, 2]))]);
        CliRunner.Run("eval", temp.File("w.safetensors")).AssertOneLineError(1, "without Scratch's training state", "LoadStateDict");
    }

    // A version-2 file's JSON and arrays, as the version-1 writer takes them.
    internal static (JsonObject Metadata, List<NamedArray> Arrays) Version2Parts(string path)
    {
        var (tensors, strings) = Safetensors.Load(path);
        var arrays = tensors.Select(t => new NamedArray(t.Name, t.Tensor.ShapeArray, t.Tensor.ToArray<float>())).ToList();
        return ((JsonObject)JsonNode.Parse(strings["scratch.checkpoint"])!, arrays);
    }
}
