using System.Text;
using System.Text.Json.Nodes;
using Scratch.Cli.Tests.Convert;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

/// <summary>
/// Gaps a hostile user found (issue 25), each refused with one line: a run folder where a checkpoint
/// is expected, empty path arguments, files `convert` must not call "already current", duplicate
/// keys and wrong versions in a training state, and buffers no training can produce.
/// </summary>
public class TrustTests
{
    [Test]
    public void AnomalyScore_TakesARunFolder_AsEveryCommandDoes()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Ok("anomaly", "--score", TinyRuns.Ae, "--test-limit", "64", "--out", temp.Path);
        Assert.That(result.Output, Does.Contain("threshold"));
        Assert.That(File.Exists(temp.File("scores.csv")), Is.True);
    }

    [TestCase("eval")]
    [TestCase("sample")]
    [TestCase("convert")]
    [TestCase("report")]
    public void AnEmptyPath_IsABadValue(string command) =>
        CliRunner.Run(command, "").AssertOneLineError(2, "expected a non-empty value");

    [Test]
    public void Convert_RefusesATextFileAndADamagedCheckpoint_InsteadOfCallingThemCurrent()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("notes.scratch"), "not a checkpoint at all");
        CliRunner.Run("convert", temp.File("notes.scratch")).AssertOneLineError(1, temp.File("notes.scratch"));

        var bytes = File.ReadAllBytes(TinyRuns.Checkpoint(TinyRuns.Vae));
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(temp.File("damaged.scratch"), bytes);
        CliRunner.Run("convert", temp.File("damaged.scratch")).AssertOneLineError(1, temp.File("damaged.scratch"), "CRC-32");
    }

    [Test]
    public void Convert_RecognisesAnOldHeaderWrittenWithWhitespace()
    {
        using var temp = new TempFolder();
        var (metadata, arrays) = ConvertTests.Version2Parts(Golden.PathOf("v2_vae.safetensors"));
        string old = temp.File("old.scratch");
        CheckpointWriter.Write(old, metadata, arrays);
        // The format document's own example has spaces after the colons: rewrite the header so.
        RewriteHeader(old, header =>
        {
            string spaced = header.Replace("{\"format\":\"scratch-checkpoint\",", "{ \"format\": \"scratch-checkpoint\",");
            Assert.That(spaced, Is.Not.EqualTo(header));
            return spaced;
        });

        Assert.That(Safetensors.IsSafetensors(old), Is.False);
        Assert.That(CliRunner.Ok("convert", old).Output, Does.Contain("converted"));
        Assert.That(ModelCheckpoint.Load(old).EpochsDone, Is.EqualTo(3));
    }

    [Test]
    public void ADuplicateKeyInTheState_IsOneLineNamingTheFile()
    {
        using var temp = new TempFolder();
        var (metadata, tensors) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        string json = metadata.ToJsonString();
        string path = temp.File("dup.scratch");
        Safetensors.Save(path, tensors, new Dictionary<string, string>
        {
            [TrainingState.MetadataKey] = json.Insert(1, "\"epochsDone\":7,"),
            [TrainingState.VersionKey] = "3",
        });
        CliRunner.Run("eval", path).AssertOneLineError(1, path, "epochsDone");
    }

    [TestCase("1", "is '1'")]
    [TestCase("4", "is '4'")]
    [TestCase(null, "is missing")]
    public void AStateOfAnotherVersion_IsRefusedNamingTheField(string? version, string mentions)
    {
        using var temp = new TempFolder();
        var (metadata, tensors) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        var strings = new Dictionary<string, string> { [TrainingState.MetadataKey] = metadata.ToJsonString() };
        if (version is not null) strings[TrainingState.VersionKey] = version;
        string path = temp.File("v.scratch");
        Safetensors.Save(path, tensors, strings);
        CliRunner.Run("eval", path).AssertOneLineError(1, path, TrainingState.VersionKey, mentions);
    }

    [TestCase("encoder.2.running_var", -1f, "a variance is never negative")]
    [TestCase("encoder.2.num_batches_tracked", -5f, "a count of batches is never negative")]
    public void BuffersNoTrainingCanProduce_AreRefusedOnLoad(string name, float value, string mentions)
    {
        using var temp = new TempFolder();
        string run = temp.File("conv");
        CliRunner.Ok("train", "--model", "ae", "--arch", "conv", "--latent", "4", "--batch", "64", "--train-limit", "128", "--test-limit", "64",
            "--epochs", "1", "--out", run);
        var (metadata, tensors) = TrainingState.ReadParts(TinyRuns.Checkpoint(run));
        string path = temp.File("bad.scratch");
        TrainingState.WriteParts(path, metadata, tensors.Select(t => t.Name == name
            ? (t.Name, Tensor.Full(t.Tensor.ShapeArray, value, t.Tensor.DType)) : t));
        CliRunner.Run("eval", path).AssertOneLineError(1, path, $"'{name}'", mentions);
        CliRunner.Run("sample", path, "--out", temp.File("s.png")).AssertOneLineError(1, path, $"'{name}'");
        Assert.That(File.Exists(temp.File("s.png")), Is.False, "no picture of NaN outputs");
    }

    [Test]
    public void EveryHeaderByteOfARealCheckpoint_FlippedInTurn_IsRefused()
    {
        using var temp = new TempFolder();
        byte[] original = File.ReadAllBytes(TinyRuns.Checkpoint(TinyRuns.Vae));
        int headerEnd = 8 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(original);
        string path = temp.File("flipped.scratch");
        int loaded = 0;
        for (int at = 0; at < headerEnd; at++)
        {
            var damaged = (byte[])original.Clone();
            damaged[at] ^= (byte)(1 << (at % 8));   // one bit of every byte, a different bit each time
            File.WriteAllBytes(path, damaged);
            try
            {
                ModelCheckpoint.Load(path);
                loaded++;
                TestContext.Out.WriteLine($"byte {at} ('{(char)original[at]}') flipped: loaded");
            }
            catch (CheckpointFormatException) { }
        }
        TestContext.Out.WriteLine($"{headerEnd} header bytes of a training checkpoint flipped in turn: {loaded} loaded");
        Assert.That(loaded, Is.Zero);
    }

    [Test]
    public void AnExistingFileNamedByOut_IsReplacedOnlyWithOverwrite()
    {
        using var temp = new TempFolder();
        string mine = temp.File("history.csv");
        File.WriteAllText(mine, "a user's own file");
        CliRunner.Run("sample", TinyRuns.Vae, "--out", mine).AssertOneLineError(2, mine, "already exists", "--overwrite");
        CliRunner.Run("report", TinyRuns.Vae, "--out", mine).AssertOneLineError(2, mine, "already exists");
        CliRunner.Run("convert", TinyRuns.Vae, "--out", mine).AssertOneLineError(2, mine, "already exists");
        Assert.That(File.ReadAllText(mine), Is.EqualTo("a user's own file"));
        CliRunner.Ok("sample", TinyRuns.Vae, "--out", mine, "--overwrite");
        Assert.That(File.ReadAllBytes(mine)[1..4], Is.EqualTo("PNG"u8.ToArray()));
    }

    [Test]
    public void AHistoryThatDisagreesWithItsEpochCount_IsRefused()
    {
        using var temp = new TempFolder();
        var (metadata, tensors) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        metadata["epochsDone"] = 1;   // the history still holds epochs 1 and 2
        string path = temp.File("h.scratch");
        TrainingState.WriteParts(path, metadata, tensors);
        CliRunner.Run("eval", path).AssertOneLineError(1, path, "'history' holds 2 epoch record(s)", "'epochsDone' is 1");
    }

    [Test]
    public void ARecipeOfFewerEpochsThanTrained_IsRefused()
    {
        using var temp = new TempFolder();
        var (metadata, tensors) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        metadata["recipe"]!["training"]!["epochs"] = 0;
        string path = temp.File("e.scratch");
        TrainingState.WriteParts(path, metadata, tensors);
        CliRunner.Run("train", "--resume", path, "--epochs", "5").AssertOneLineError(1, path, "'recipe.training.epochs' is 0", "trained 2 epochs");
    }

    [Test]
    public void AChecksumForATensorTheFileDoesNotHold_IsRefused()
    {
        using var temp = new TempFolder();
        // A version-2 style file (no header checksum asked for), written by hand: its CRC map names a tensor it lacks.
        var data = new byte[8];
        BitConverter.GetBytes(1f).CopyTo(data, 0);
        BitConverter.GetBytes(2f).CopyTo(data, 4);
        uint crc = Scratch.Models.Files.Crc32.Compute(data);
        string crcs = new JsonObject { ["w"] = crc.ToString("x8"), ["ghost"] = "00000000" }.ToJsonString();
        string header = new JsonObject { ["__metadata__"] = new JsonObject { ["scratch.format_version"] = "2", ["scratch.crc32"] = crcs }, ["w"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(2), ["data_offsets"] = new JsonArray(0, 8) } }.ToJsonString();
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        string path = temp.File("ghost.safetensors");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path))!;
        Assert.That(e.Message, Does.Contain("checksum for tensor 'ghost'"));
    }

    [Test]
    public void ATestLossThatDiverges_StopsTrainingBeforeTheEpochIsWritten()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        CliRunner.Run(["train", "--model", "ae", "--loss", "mse", "--lr", "1e30", "--epochs", "1", "--out", run, .. TinyRuns.TinyRecipe])
            .AssertOneLineError(1, "diverged at epoch 1");
        Assert.That(File.Exists(Path.Combine(run, "checkpoint.scratch")), Is.False, "no checkpoint of blown-up weights");
    }

    [Test]
    public void FiniteWeightsWhoseOutputsAreNot_AreNeitherScoredNorDrawn()
    {
        using var temp = new TempFolder();
        var (metadata, tensors) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        string path = temp.File("huge.scratch");
        // Finite, but the decoder's products overflow float32: its outputs are ±∞ and NaN.
        TrainingState.WriteParts(path, metadata, tensors.Select(t => t.Name == "decoder.0.weight"
            ? (t.Name, Tensor.Full(t.Tensor.ShapeArray, 3e38, t.Tensor.DType)) : t));
        CliRunner.Run("eval", path).AssertOneLineError(1, "not finite");
        CliRunner.Run("sample", path, "--out", temp.File("s.png")).AssertOneLineError(1, "not finite");
        CliRunner.Run("anomaly", "--score", path, "--test-limit", "32", "--out", temp.File("scores")).AssertOneLineError(1, "not finite");
        Assert.That(Directory.Exists(temp.File("scores")), Is.False, "no scores of NaN");
        Assert.That(File.Exists(temp.File("s.png")), Is.False, "no picture of NaN outputs");
    }

    // An unlabelled IDX image file (magic 00 00 08 03) of `count` images of rows×cols.
    private static string WriteImages(string path, int count, int rows, int cols)
    {
        var bytes = new byte[16 + count * rows * cols];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, 0x0803);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void AConvModelIsGivenPicturesOfItsShape_NotJustItsPixelCount()
    {
        using var temp = new TempFolder();
        string run = temp.File("conv");
        CliRunner.Ok("train", "--model", "ae", "--arch", "conv", "--latent", "4", "--batch", "64", "--train-limit", "128", "--test-limit", "64",
            "--epochs", "1", "--out", run);
        string flat = WriteImages(temp.File("flat-idx3-ubyte"), 3, 1, 784);
        CliRunner.Run("anomaly", "--score", run, "--images", flat, "--out", temp.File("scores")).AssertOneLineError(2, "28×28", "1×784");
        Assert.That(Directory.Exists(temp.File("scores")), Is.False);
    }

    [Test]
    public void ScoringAnEmptyImageFile_IsOneLine()
    {
        using var temp = new TempFolder();
        string none = WriteImages(temp.File("none-idx3-ubyte"), 0, 28, 28);
        var result = CliRunner.Run("anomaly", "--score", TinyRuns.Ae, "--images", none, "--out", temp.File("scores"));
        Assert.That(result.ExitCode, Is.Not.Zero);
        result.AssertOneLineError(result.ExitCode, none);
        Assert.That(Directory.Exists(temp.File("scores")), Is.False, "no empty scores written");
    }

    [Test]
    public void GenerateRefusesAnEmptyModelListAndACacheThatIsAFile_BeforeTraining()
    {
        using var temp = new TempFolder();
        CliRunner.Run("generate", "--quick", "--models", "", "--out", temp.File("g")).AssertOneLineError(2, "--models", "non-empty");
        File.WriteAllText(temp.File("cache"), "a file");
        CliRunner.Run("generate", "--quick", "--cache", temp.File("cache"), "--out", temp.File("g")).AssertOneLineError(2, "--cache", "is a file");
        Assert.That(Directory.Exists(temp.File("g")), Is.False);
    }

    [Test]
    public void OffsetsOutsideTheDataRegion_NameTheirTensor_NotItsNeighbour()
    {
        using var temp = new TempFolder();
        string path = temp.File("offsets.scratch");
        File.Copy(TinyRuns.Checkpoint(TinyRuns.Vae), path);
        RewriteHeader(path, text =>
        {
            var header = JsonNode.Parse(text)!.AsObject();
            var offsets = header["encoder.0.bias"]!["data_offsets"]!.AsArray();
            long size = offsets[1]!.GetValue<long>() - offsets[0]!.GetValue<long>();
            header["encoder.0.bias"]!["data_offsets"] = new JsonArray(1_000_000_000L, 1_000_000_000L + size);
            return header.ToJsonString();
        });
        CliRunner.Run("eval", path).AssertOneLineError(1, path, "tensor 'encoder.0.bias' has data_offsets", "beyond");
    }

    [Test]
    public void AFinishedRunKilledWhileDrawing_IsCompletedByResume_NotCalledDone()
    {
        using var temp = new TempFolder();
        string run = temp.File("vae");
        Directory.CreateDirectory(run);
        foreach (var file in Directory.GetFiles(TinyRuns.Vae)) File.Copy(file, Path.Combine(run, Path.GetFileName(file)));
        // As a kill in the picture phase leaves it: the last pictures missing, a writer's temporary behind.
        File.Delete(Path.Combine(run, "samples.png"));
        File.Delete(Path.Combine(run, "interpolation.png"));
        File.WriteAllBytes(Path.Combine(run, ".samples.png.0123456789abcdef0123456789abcdef.tmp"), [1, 2, 3]);
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(run, "checkpoint.scratch"));

        var result = CliRunner.Ok("train", "--resume", run);
        Assert.That(result.Output, Does.Contain("lacked samples.png, interpolation.png: written now"));
        Assert.That(File.Exists(Path.Combine(run, "samples.png")) && File.Exists(Path.Combine(run, "interpolation.png")), Is.True);
        Assert.That(Directory.GetFiles(run, "*.tmp"), Is.Empty, "the killed writer's temporary is removed");
        Assert.That(File.ReadAllBytes(Path.Combine(run, "checkpoint.scratch")), Is.EqualTo(checkpoint), "the checkpoint is not rewritten");
        Assert.That(CliRunner.Ok("train", "--resume", run).Output, Does.Contain("nothing to do"), "now the run is whole");
    }

    [Test]
    public void ARefusedFolderOfSubfolderRuns_SuggestsACheckpointThatExists()
    {
        using var temp = new TempFolder();
        string folder = temp.File("family");
        CliRunner.Ok(["compare", "--models", "ae", "--epochs", "1", "--out", folder, .. TinyRuns.TinyRecipe]);
        var result = CliRunner.Run(["train", "--model", "ae", "--epochs", "1", "--out", folder, .. TinyRuns.TinyRecipe]);
        result.AssertOneLineError(2, "already holds a run");
        string line = result.ErrorLines[0];
        int at = line.IndexOf("--resume ", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0), line);
        string suggested = line[(at + "--resume ".Length)..line.IndexOf(" to continue", at, StringComparison.Ordinal)];
        Assert.That(File.Exists(suggested), Is.True, $"suggested {suggested}");
    }

    [Test]
    public void AGeneratorWhoseSamplesAreNotFinite_IsNotScored()
    {
        var data = Scratch.Models.Data.DataSource.Load(Scratch.Models.Data.DataSource.SampleDirectory());
        var broken = new Scratch.Experiments.Generation.GenerationExperiment.Candidate("nan", "NaN generator",
            (_, _) => new Scratch.Experiments.Generation.GenerationExperiment.TrainedGenerator((n, _) => Tensor.Full([n, 784], double.NaN), []));
        using var temp = new TempFolder();
        var options = Scratch.Experiments.Generation.GenerationOptions.Quick() with { Samples = 16 };
        var e = Assert.Throws<ArgumentException>(() => Scratch.Experiments.Generation.GenerationExperiment.Run(data, temp.Path, options, [broken]))!;
        Assert.That(e.Message, Does.Contain("NaN generator").And.Contain("not finite"));
    }

    // Rewrites the JSON header of the file at `path` (either format: 8-byte length, JSON, data),
    // padding it to 8 bytes again and keeping the data as it was.
    private static void RewriteHeader(string path, Func<string, string> edit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int n = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var json = Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(bytes, 8, n).TrimEnd()));
        int padded = (json.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + bytes.Length - 8 - n];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.AsSpan(8 + n).CopyTo(file.AsSpan(8 + padded));
        File.WriteAllBytes(path, file);
    }
}
