using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Scratch.Cli.OldCheckpoints;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests.Convert;

public class CheckpointRoundTripTests
{
    [Test]
    public void WriteThenRead_IsBitwiseExact()
    {
        using var dir = new TempFolder();
        var path = dir.File("model.ckpt");
        // Values that a text format or a careless conversion would change.
        float[] weights = [1.5f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC12345), 0.1f];
        double[] moments = [Math.PI, -0.0, double.Epsilon, BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), 1e-300, 2, 3];
        var metadata = new JsonObject
        {
            ["model"] = new JsonObject { ["kind"] = "vae", ["layers"] = new JsonArray(784, 400, 20) },
            ["epoch"] = 7,
            ["rng"] = new JsonArray(1UL, ulong.MaxValue),
            ["note"] = "σ = 1.5 ✓",
        };
        var arrays = new[]
        {
            new NamedArray("encoder.weight", [7], weights),
            new NamedArray("adam.m", [7, 1], moments),
            new NamedArray("scalar", [], new float[] { 42 }),
            new NamedArray("empty", [0, 3], Array.Empty<double>()),
            new NamedArray("décodeur.bias", [2, 3], new float[] { 1, 2, 3, 4, 5, 6 }),
        };

        CheckpointWriter.Write(path, metadata, arrays);
        var read = Checkpoint.Read(path);

        Assert.That(read.Arrays.Select(a => a.Name), Is.EqualTo(arrays.Select(a => a.Name)), "file order is write order");
        Assert.That(read.Get("encoder.weight").Float32!.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(weights.Select(BitConverter.SingleToInt32Bits)));
        Assert.That(read.Get("adam.m").Float64!.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(moments.Select(BitConverter.DoubleToInt64Bits)));
        Assert.That(read.Get("adam.m").Shape, Is.EqualTo(new[] { 7, 1 }));
        Assert.That(read.Get("adam.m").DType, Is.EqualTo(DType.Float64));
        Assert.That(read.Get("scalar").Shape, Is.Empty);
        Assert.That(read.Get("scalar").Float32, Is.EqualTo(new float[] { 42 }));
        Assert.That(read.Get("empty").Float64, Is.Empty);
        Assert.That(read.Get("décodeur.bias").Float32, Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(JsonNode.DeepEquals(read.Metadata, metadata), $"metadata {read.Metadata.ToJsonString()}");
        Assert.That(read.Metadata["rng"]![1]!.GetValue<ulong>(), Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void Layout_IsTheDocumentedOne()
    {
        using var dir = new TempFolder();
        var path = dir.File("a.ckpt");
        CheckpointWriter.Write(path, new JsonObject { ["epoch"] = 1 },
            [new NamedArray("a", [2], new float[] { 1, 2 }), new NamedArray("b", [1], new double[] { 3 })]);
        var bytes = File.ReadAllBytes(path);

        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(n % 8, Is.EqualTo(0), "data starts 8-byte aligned");
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!;
        Assert.That(header["format"]!.GetValue<string>(), Is.EqualTo("scratch-checkpoint"));
        Assert.That(header["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(header["tensors"]!["a"]!.ToJsonString(), Is.EqualTo("""{"dtype":"float32","shape":[2],"offsets":[0,8]}"""));
        Assert.That(header["tensors"]!["b"]!.ToJsonString(), Is.EqualTo("""{"dtype":"float64","shape":[1],"offsets":[8,16]}"""));
        Assert.That(bytes.Length, Is.EqualTo(8 + n + 16));
        Assert.That(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n + 4)), Is.EqualTo(2f));
        Assert.That(BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 + (int)n + 8)), Is.EqualTo(3.0));
    }

    [Test]
    public void Write_ReplacesAnOldFile_AndLeavesNoTemporaryFiles()
    {
        using var dir = new TempFolder();
        var path = dir.File("m.ckpt");
        CheckpointWriter.Write(path, new JsonObject(), [new NamedArray("w", [1], new float[] { 1 })]);
        CheckpointWriter.Write(path, new JsonObject(), [new NamedArray("w", [1], new float[] { 2 })]);
        Assert.That(Checkpoint.Read(path).Get("w").Float32, Is.EqualTo(new float[] { 2 }));
        Assert.That(Directory.GetFiles(dir.Path), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_DuplicateNames_AreRefused_AndNothingIsWritten()
    {
        using var dir = new TempFolder();
        var path = dir.File("m.ckpt");
        var e = Assert.Throws<ArgumentException>(() => CheckpointWriter.Write(path, new JsonObject(),
            [new NamedArray("w", [1], new float[] { 1 }), new NamedArray("w", [1], new float[] { 2 })]))!;
        Assert.That(e.Message, Does.Contain("'w'"));
        Assert.That(Directory.GetFiles(dir.Path), Is.Empty);
    }

    [Test]
    public void Write_MetadataIsCopied_NotAdopted()
    {
        // A JsonNode can have only one parent; the writer must not steal the caller's object.
        using var dir = new TempFolder();
        var metadata = new JsonObject { ["epoch"] = 3 };
        CheckpointWriter.Write(dir.File("m.ckpt"), metadata, []);
        Assert.That(metadata.Parent, Is.Null);
        Assert.That(Checkpoint.Read(dir.File("m.ckpt")).Metadata["epoch"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public void NamedArray_ShapeMustMatchData()
    {
        var e = Assert.Throws<ArgumentException>(() => new NamedArray("w", [2, 3], new float[5]))!;
        Assert.That(e.Message, Does.Contain("[2, 3] does not hold 5 elements"));
        Assert.Throws<ArgumentException>(() => new NamedArray("w", [-1], new float[0]));
        Assert.Throws<ArgumentException>(() => new NamedArray("", [1], new float[1]));
        Assert.That(new NamedArray("w", [0, 5], new float[0]).Length, Is.EqualTo(0));
        Assert.Throws<ArgumentException>(() => new NamedArray("w", [65536, 65536, 65536, 65536, 0, 1], new float[1]));
    }

    [Test]
    public void Get_MissingName_ListsWhatThereIs()
    {
        using var dir = new TempFolder();
        var path = dir.File("m.ckpt");
        CheckpointWriter.Write(path, new JsonObject(), [new NamedArray("w", [1], new float[] { 1 })]);
        var e = Assert.Throws<KeyNotFoundException>(() => Checkpoint.Read(path).Get("v"))!;
        Assert.That(e.Message, Does.Contain("no tensor named 'v' (has: w)"));
    }
}
