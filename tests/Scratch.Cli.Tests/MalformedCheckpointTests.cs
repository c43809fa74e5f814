using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

/// <summary>
/// Every malformed checkpoint — broken at the format level or inconsistent at the model level —
/// is refused with a CheckpointFormatException naming the file, and at the command line with one
/// line on stderr and exit code 1.
/// </summary>
public class MalformedCheckpointTests
{
    public sealed record Case(string Name, Action<JsonObject> Metadata, Func<List<(string Name, Tensor Tensor)>, List<(string Name, Tensor Tensor)>> Arrays, string Mentions)
    {
        public override string ToString() => Name;
    }

    private static List<(string Name, Tensor Tensor)> Same(List<(string Name, Tensor Tensor)> a) => a;

    public static IEnumerable<Case> ModelLevelCases() =>
    [
        new("latent size does not match the tensors", m => m["recipe"]!["model"]!["latent"] = 3, Same, "shape"),
        new("hidden sizes do not match the tensors", m => m["recipe"]!["model"]!["hidden"] = new JsonArray(32, 16), Same, "'encoder.2.weight' has shape (4, 32)"),
        new("smaller sizes than the tensors", m => m["recipe"]!["model"]!["hidden"] = new JsonArray(30), Same, "'encoder.0.weight' has shape (32, 784)"),
        new("a configuration too large to allocate", m => m["recipe"]!["model"]!["hidden"] = new JsonArray(2_000_000_000, 2_000_000_000), Same, "needs"),
        new("unknown kind", m => m["recipe"]!["model"]!["kind"] = "gan", Same, "unknown model 'gan'"),
        new("a parameter is missing", _ => { }, a => a.Where(x => x.Name != "decoder.0.bias").ToList(), "no tensor 'decoder.0.bias'"),
        new("an extra tensor", _ => { }, a => [.. a, ("encoder.7.weight", Tensor.Zeros([2]))], "'encoder.7.weight'"),
        new("a tensor of the wrong shape", _ => { }, a => a.Select(x => x.Name == "encoder.0.weight" ? (x.Name, Tensor.Zeros([32, 783])) : x).ToList(), "(32, 783)"),
        new("a tensor of the wrong dtype", _ => { }, a => a.Select(x => x.Name == "decoder.2.bias" ? (x.Name, Tensor.Zeros(x.Tensor.ShapeArray, DType.Float64)) : x).ToList(), "float64"),
        new("optimizer state of a parameter is missing", _ => { }, a => a.Where(x => x.Name != "optimizer.v.1").ToList(), "optimizer.v.1"),
        new("optimizer state of the wrong shape", _ => { }, a => a.Select(x => x.Name == "optimizer.m.0" ? (x.Name, Tensor.Zeros([1])) : x).ToList(), "tensor 'optimizer.m.0' has shape (1)"),
        new("optimizer state nobody owns", _ => { }, a => [.. a, ("optimizer.m.99", Tensor.Zeros([1]))], "optimizer.m.99"),
        new("no content", m => m.Remove("content"), Same, "no field 'metadata.content'"),
        new("not an autoencoder checkpoint", m => m["content"] = "scratch-dcgan", Same, "expected 'scratch-autoencoder'"),
        new("an optimizer of another kind", m => m["optimizers"]!["model"]!["kind"] = "sgd", Same, "optimizers.model.kind"),
        new("a negative step count", m => m["optimizers"]!["model"]!["steps"] = -1, Same, "optimizers.model.steps"),
        new("a field of the wrong type", m => m["epochsDone"] = "two", Same, "epochsDone"),
        new("a missing field", m => ((JsonObject)m["recipe"]!["training"]!).Remove("batch"), Same, "training.batch"),
        new("an invalid recipe", m => m["recipe"]!["training"]!["batch"] = 0, Same, "training"),
        new("a seed that is not a number", m => m["recipe"]!["training"]!["seed"] = "-1", Same, "training.seed"),
        new("an all-zero RNG state", m => { foreach (var k in new[] { "s0", "s1", "s2", "s3" }) m["rngs"]!["trainer"]![k] = "0"; }, Same, "all-zero"),
        new("an unknown activation", m => m["recipe"]!["model"]!["activation"] = "gelu", Same, "model.activation"),
        new("a negative layer size", m => m["recipe"]!["model"]!["hidden"] = new JsonArray(-32), Same, "positive"),
        new("a history entry that is not an object", m => m["history"] = new JsonArray(1), Same, "history[0]"),
        new("a NaN weight", _ => { }, a => Poke(a, "encoder.0.weight", 5, float.NaN), "tensor 'encoder.0.weight' holds 1 non-finite value(s), the first NaN at element 5"),
        new("an infinite bias", _ => { }, a => Poke(a, "decoder.2.bias", 0, float.PositiveInfinity), "tensor 'decoder.2.bias' holds 1 non-finite"),
        new("a NaN in Adam's first moment", _ => { }, a => Poke(a, "optimizer.m.2", 1, float.NaN), "tensor 'optimizer.m.2' holds 1 non-finite"),
        new("an infinite second moment", _ => { }, a => Poke(a, "optimizer.v.0", 3, float.NegativeInfinity), "tensor 'optimizer.v.0' holds 1 non-finite"),
        new("a negative second moment", _ => { }, a => Poke(a, "optimizer.v.1", 0, -1e-3f), "'optimizer.v.1' (Adam's second moment) is"),
        new("a first moment no gradient can give", _ => { }, a => Poke(Poke(a, "optimizer.v.3", 2, 1e-8f), "optimizer.m.3", 2, 1f), "'optimizer.m.3' is 1 at element 2"),
    ];

    // A copy of the arrays with one element of one array replaced.
    private static List<(string Name, Tensor Tensor)> Poke(List<(string Name, Tensor Tensor)> arrays, string name, int index, float value) => arrays.Select(x =>
    {
        if (x.Name != name) return x;
        var data = x.Tensor.ToArray<float>();
        data[index] = value;
        return (x.Name, Tensor.FromArray(data, x.Tensor.ShapeArray));
    }).ToList();

    private static string Rewrite(string folder, Case c)
    {
        var (sourceMetadata, sourceArrays) = TrainingState.ReadParts(TinyRuns.Checkpoint(TinyRuns.Vae));
        var metadata = (JsonObject)sourceMetadata.DeepClone();
        c.Metadata(metadata);
        var path = Path.Combine(folder, "bad.scratch");
        TrainingState.WriteParts(path, metadata, c.Arrays(sourceArrays.ToList()));
        return path;
    }

    [TestCaseSource(nameof(ModelLevelCases))]
    public void ModelLevelMismatchIsRefusedWithTheFileNamed(Case c)
    {
        using var temp = new TempFolder();
        var path = Rewrite(temp.Path, c);
        var e = Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Resume(ModelCheckpoint.Load(path)));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain(c.Mentions));
    }

    [TestCaseSource(nameof(ModelLevelCases))]
    public void ModelLevelMismatchIsOneLineAtTheCommandLine(Case c)
    {
        using var temp = new TempFolder();
        var path = Rewrite(temp.Path, c);
        CliRunner.Run("eval", path).AssertOneLineError(1, path, c.Mentions);
    }

    public static IEnumerable<TestCaseData> FormatLevelCases()
    {
        yield return new TestCaseData(new Func<byte[], byte[]>(b => b[..(b.Length - 5)]), "truncated").SetName("truncated data");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => [.. b, 1, 2, 3]), "over-long").SetName("over-long data");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => b[..4]), "too short").SetName("shorter than the length field");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => { var c = (byte[])b.Clone(); c[7] = 0x7F; return c; }), "limit").SetName("header length beyond the cap");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => { var c = (byte[])b.Clone(); c[0] = 0xFF; c[1] = 0xFF; c[2] = 0xFF; return c; }), "bytes follow").SetName("header length beyond the file");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => { var c = (byte[])b.Clone(); c[8] = (byte)'x'; return c; }), "not valid JSON").SetName("header not JSON");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => { var c = (byte[])b.Clone(); c[9] = 0xC3; c[10] = 0x28; return c; }), "UTF-8").SetName("header not UTF-8");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => { var c = (byte[])b.Clone(); c[^3] ^= 0x10; return c; }), "fails its CRC-32 check").SetName("one flipped bit in the weights");
    }

    [TestCaseSource(nameof(FormatLevelCases))]
    public void FormatLevelDamageIsOneLineAtTheCommandLine(Func<byte[], byte[]> damage, string mentions)
    {
        using var temp = new TempFolder();
        var path = temp.File("damaged.scratch");
        File.WriteAllBytes(path, damage(File.ReadAllBytes(TinyRuns.Checkpoint(TinyRuns.Vae))));
        CliRunner.Run("eval", path).AssertOneLineError(1, path, mentions);
        CliRunner.Run("sample", path, "--out", temp.File("s.png")).AssertOneLineError(1, path);
        CliRunner.Run("train", "--resume", path).AssertOneLineError(1, path);
    }

    [Test]
    public void MissingCheckpointIsOneLine() =>
        CliRunner.Run("eval", "no/such/checkpoint.scratch").AssertOneLineError(1, "no/such/checkpoint.scratch");

    [Test]
    public void VerboseAddsTheStackTrace()
    {
        var result = CliRunner.Run("eval", "no/such/checkpoint.scratch", "--verbose");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("   at "));
    }
}
