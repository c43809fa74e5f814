using System.Buffers.Binary;
using Scratch.Models.Checkpoints;
using Scratch.Models.Files;

namespace Scratch.Cli.Tests;

/// <summary>
/// Nothing a user made is lost: an earlier run is never replaced without --overwrite, every file
/// lands whole, leftovers of killed writers are cleaned, a run with nothing to do says so and
/// touches nothing, and data or paths of the wrong kind are named for what they are.
/// </summary>
public class RunSafetyTests
{
    private static readonly string[] Quick = ["--model", "ae", "--hidden", "16", "--latent", "3", "--batch", "64", "--train-limit", "128", "--test-limit", "64"];

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    [TestCase("1")]
    [TestCase("0")]
    public void TrainRefusesAFolderHoldingARunAndLeavesItUntouched(string epochs)
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--epochs", "1", "--out", temp.Path, .. Quick]);
        var before = Snapshot(temp.Path);
        var result = CliRunner.Run(["train", "--epochs", epochs, "--seed", "2", "--out", temp.Path, .. Quick]);
        result.AssertOneLineError(2, temp.Path, "--resume", "--out", "--overwrite");
        Assert.That(Snapshot(temp.Path), Is.EqualTo(before), "every file of the earlier run is as it was");
    }

    [Test]
    public void OverwriteReplacesTheWholeRunAndKeepsTheUsersOwnFiles()
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--model", "vae", "--epochs", "1", "--out", temp.Path, .. Quick[2..]]);
        File.WriteAllText(temp.File("notes.txt"), "mine");
        CliRunner.Ok(["train", "--epochs", "1", "--out", temp.Path, "--overwrite", .. Quick]);
        Assert.That(File.Exists(temp.File("samples.png")), Is.False, "the VAE's samples do not linger beside the AE's checkpoint");
        Assert.That(ModelCheckpoint.Load(temp.File("checkpoint.scratch")).Spec.Kind, Is.EqualTo("ae"));
        Assert.That(File.ReadAllText(temp.File("notes.txt")), Is.EqualTo("mine"));
    }

    [Test]
    public void CompareRefusesAFolderHoldingAComparison()
    {
        using var temp = new TempFolder();
        string[] args = ["compare", "--models", "ae", "--epochs", "0", "--out", temp.Path, .. Quick[2..]];
        CliRunner.Ok(args);
        var before = Snapshot(temp.Path);
        var result = CliRunner.Run(args);
        result.AssertOneLineError(2, temp.Path, "--overwrite");
        Assert.That(result.ErrorLines[0], Does.Not.Contain("--resume"), "compare has no --resume to suggest");
        Assert.That(Snapshot(temp.Path), Is.EqualTo(before));
        CliRunner.Ok([.. args, "--overwrite"]);
    }

    [Test]
    public void ResumingToAnEpochAlreadyReachedSaysSoAndWritesNothing()
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--epochs", "2", "--out", temp.Path, .. Quick]);
        var before = Snapshot(temp.Path);
        foreach (var epochs in new[] { "2", "1" })
        {
            var result = CliRunner.Ok("train", "--resume", temp.File("checkpoint.scratch"), "--epochs", epochs);
            Assert.That(result.Output, Does.Contain("nothing to do").And.Contain("2 epochs"));
        }
        Assert.That(CliRunner.Ok("train", "--resume", temp.Path).Output, Does.Contain("nothing to do"), "a run folder works as --resume too");
        Assert.That(Snapshot(temp.Path), Is.EqualTo(before));
    }

    [Test]
    public void LeftoversOfAKilledWriterAreRemovedWhenARunStarts()
    {
        using var temp = new TempFolder();
        // What a kill during a save leaves: the hidden temporary files of AtomicFile.
        string leftover = AtomicFile.TempName(temp.File("checkpoint.scratch"));
        string leftoverPng = AtomicFile.TempName(temp.File("reconstructions.png"));
        File.WriteAllBytes(leftover, [1, 2, 3]);
        File.WriteAllBytes(leftoverPng, [1, 2, 3]);
        File.WriteAllText(temp.File(".mine.tmp"), "not ours");
        CliRunner.Ok(["train", "--epochs", "1", "--out", temp.Path, .. Quick]);
        Assert.That(File.Exists(leftover) || File.Exists(leftoverPng), Is.False);
        Assert.That(File.Exists(temp.File(".mine.tmp")), Is.True, "only names AtomicFile makes are removed");
        Assert.That(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories), Is.EqualTo(new[] { temp.File(".mine.tmp") }));
    }

    [Test]
    public void AtomicWriteLeavesTheOldFileWhenTheWriterFails()
    {
        using var temp = new TempFolder();
        var path = temp.File("history.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write([1, 2, 3]); throw new InvalidOperationException("killed"); }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(temp.Path), Is.EqualTo(new[] { path }), "no temporary file is left");
    }

    [Test]
    public void AnEmptyDataSetIsRefusedBeforeAnythingIsWritten()
    {
        using var temp = new TempFolder();
        var data = Directory.CreateDirectory(temp.File("data")).FullName;
        WriteIdx(data, "train", count: 0, side: 28);
        WriteIdx(data, "test", count: 4, side: 28);
        CliRunner.Run(["train", "--data", data, "--out", temp.File("run"), .. Quick]).AssertOneLineError(2, data, "0 training");
        Assert.That(Directory.Exists(temp.File("run")), Is.False);
    }

    [Test]
    public void ImagesOfAnotherSizeAreNamedAsImages()
    {
        using var temp = new TempFolder();
        var data = Directory.CreateDirectory(temp.File("small")).FullName;
        WriteIdx(data, "train", count: 64, side: 12);
        WriteIdx(data, "test", count: 16, side: 12);
        CliRunner.Run("eval", TinyRuns.Checkpoint(TinyRuns.Ae), "--data", data).AssertOneLineError(2, "this model was trained on 28×28 grey images (784 values)", "12×12 grey");
        CliRunner.Run("report", TinyRuns.Ae, "--data", data, "--out", temp.File("r.html")).AssertOneLineError(2, "trained on 28×28 grey");
        CliRunner.Run("train", "--resume", TinyRuns.Checkpoint(TinyRuns.Ae), "--epochs", "9", "--data", data).AssertOneLineError(2, "trained on 28×28 grey");
        // A new run takes its input size from the data.
        CliRunner.Ok(["train", "--data", data, "--epochs", "1", "--out", temp.File("run"), .. Quick]);
        Assert.That(ModelCheckpoint.Load(temp.File("run/checkpoint.scratch")).Spec.Config.Describe(), Is.EqualTo("144-16-3"));
    }

    [Test]
    public void PathsOfTheWrongKindAreNamedForWhatTheyAre()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("file.txt"), "x");
        CliRunner.Run("eval", temp.Path).AssertOneLineError(2, temp.Path, "is a folder without a checkpoint.scratch");
        CliRunner.Run("train", "--resume", temp.Path).AssertOneLineError(2, "is a folder");
        CliRunner.Run(["train", "--data", temp.File("file.txt"), "--out", temp.File("run"), .. Quick]).AssertOneLineError(2, "--data", "is a file");
        CliRunner.Run(["train", "--out", temp.File("file.txt"), .. Quick]).AssertOneLineError(2, "--out", "is a file");
        CliRunner.Run("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--out", temp.Path).AssertOneLineError(2, "--out", "is a folder", "samples.png");
        CliRunner.Run("report", TinyRuns.Vae, "--out", temp.Path).AssertOneLineError(2, "--out", "is a folder");
        CliRunner.Ok("eval", TinyRuns.Ae); // a run folder holding a checkpoint is accepted
    }

    [Test]
    public void ANonFiniteCheckpointIsRefusedByEverySubcommand()
    {
        using var temp = new TempFolder();
        var (metadata, sourceArrays) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        var arrays = sourceArrays.Select(a => a.Name == "decoder.0.weight"
            ? (a.Name, Tensor.FromArray(a.Tensor.ToArray<float>().Select((v, i) => i == 3 ? float.NaN : v).ToArray(), a.Tensor.ShapeArray)) : a);
        var path = temp.File("nan.scratch");
        TrainingState.WriteParts(path, metadata, arrays);
        CliRunner.Run("eval", path).AssertOneLineError(1, path, "'decoder.0.weight'", "NaN");
        CliRunner.Run("sample", path, "--out", temp.File("s.png")).AssertOneLineError(1, path, "'decoder.0.weight'");
        Assert.That(File.Exists(temp.File("s.png")), Is.False, "no black picture");
        CliRunner.Run("train", "--resume", path, "--epochs", "5").AssertOneLineError(1, path, "'decoder.0.weight'");
    }

    // A raw IDX pair (images 00 00 08 03, labels 00 00 08 01) of `count` blank images.
    private static void WriteIdx(string folder, string split, int count, int side)
    {
        var images = new byte[16 + count * side * side];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), side);
        for (int i = 16; i < images.Length; i++) images[i] = (byte)(i * 37);
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        File.WriteAllBytes(Path.Combine(folder, $"{split}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, $"{split}-labels-idx1-ubyte"), labels);
    }
}
