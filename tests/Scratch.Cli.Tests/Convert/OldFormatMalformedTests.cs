using Scratch.Cli.OldCheckpoints;
using Scratch.Models.Checkpoints;
using static Scratch.Cli.Tests.Convert.CheckpointBytes;

namespace Scratch.Cli.Tests.Convert;

// One test per way a file can be wrong. Each must give a CheckpointFormatException that names
// the file and says what is wrong — never an IndexOutOfRange, OutOfMemory or a raw JsonException.
public class CheckpointMalformedTests
{
    private const string A = """ "a":{"dtype":"float32","shape":[2],"offsets":[0,8]} """;
    private const string B = """ "b":{"dtype":"float64","shape":[1],"offsets":[8,16]} """;

    private static void AssertRejected(byte[] file, string fragment)
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.ckpt");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path + ": ").And.Contain(fragment));
        Assert.That(e.FilePath, Is.EqualTo(path));
    }

    [Test]
    public void WellFormedControl_IsAccepted()
    {
        // The base the malformed cases below are built from really is valid.
        using var dir = new TempFolder();
        var path = dir.File("ok.ckpt");
        File.WriteAllBytes(path, Build(Header(A + "," + B), 16));
        Assert.That(Checkpoint.Read(path).Arrays, Has.Count.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(7)]
    public void ShorterThan8Bytes(int length) => AssertRejected(new byte[length], $"holds {length} bytes, too short");

    [Test]
    public void HeaderLengthBeyondTheFile() =>
        AssertRejected(Build(Header(A), 8, declaredHeaderLength: 10_000), "declares a header of 10000 bytes but only");

    [Test]
    public void HeaderLengthBeyondTheCap() =>
        AssertRejected(Build(Header(A), 8, declaredHeaderLength: 1UL << 40), "more than the 104857600-byte limit");

    [Test]
    public void HeaderNotUtf8() => AssertRejected(Build([0x7B, 0xFF, 0xFE, 0x7D], []), "not valid UTF-8");

    [Test]
    public void HeaderNotJson() => AssertRejected(Build("{\"format\": scratch", 0), "not valid JSON");

    [Test]
    public void HeaderNotAnObject() => AssertRejected(Build("[1, 2]", 0), "header is a JSON Array, expected an object");

    [TestCase("format")]
    [TestCase("version")]
    [TestCase("metadata")]
    [TestCase("tensors")]
    public void HeaderFieldMissing(string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Header(A))!.AsObject();
        node.Remove(field);
        AssertRejected(Build(node.ToJsonString(), 8), $"missing field '{field}'");
    }

    [TestCase("""{"format":1,"version":1,"metadata":{},"tensors":{}}""", "field 'format' is a JSON Number, expected String")]
    [TestCase("""{"format":"scratch-checkpoint","version":"1","metadata":{},"tensors":{}}""", "field 'version' is a JSON String")]
    [TestCase("""{"format":"scratch-checkpoint","version":1,"metadata":[],"tensors":{}}""", "field 'metadata' is a JSON Array")]
    [TestCase("""{"format":"scratch-checkpoint","version":1,"metadata":{},"tensors":[]}""", "field 'tensors' is a JSON Array")]
    [TestCase("""{"format":"safetensors","version":1,"metadata":{},"tensors":{}}""", "'format' is 'safetensors'")]
    [TestCase("""{"format":"scratch-checkpoint","version":2,"metadata":{},"tensors":{}}""", "'version' is 2; this reader knows version 1")]
    [TestCase("""{"format":"scratch-checkpoint","version":1,"metadata":{},"tensors":{},"extra":0}""", "unexpected field 'extra'")]
    [TestCase("""{"format":"scratch-checkpoint","version":1,"version":1,"metadata":{},"tensors":{}}""", "field 'version' twice")]
    [TestCase("""{"format":"scratch-checkpoint","version":1,"metadata":{"k":1,"k":2},"tensors":{}}""", "field 'metadata' has key 'k' twice")]
    [TestCase("""{"format":"scratch-checkpoint","version":1,"metadata":{"a":[{"k":1,"k":2}]},"tensors":{}}""", "field 'metadata.a[0]' has key 'k' twice")]
    public void HeaderStructureWrong(string header, string fragment) => AssertRejected(Build(header, 0), fragment);

    [TestCase(""" "a":[1] """, "tensor 'a' is a JSON Array, expected an object")]
    [TestCase(""" "a":{"dtype":"float32","shape":[2]} """, "tensor 'a' is missing field 'offsets'")]
    [TestCase(""" "a":{"dtype":"float32","shape":[2],"offsets":[0,8],"x":1} """, "tensor 'a' has unexpected field 'x'")]
    [TestCase(""" "a":{"dtype":32,"shape":[2],"offsets":[0,8]} """, "tensor 'a' field 'dtype' is a JSON Number")]
    [TestCase(""" "a":{"dtype":"float32","shape":"2","offsets":[0,8]} """, "tensor 'a' field 'shape' is a JSON String")]
    [TestCase(""" "a":{"dtype":"float32","shape":[2],"offsets":{"b":0}} """, "tensor 'a' field 'offsets' is a JSON Object")]
    [TestCase(""" "":{"dtype":"float32","shape":[2],"offsets":[0,8]} """, "a tensor has an empty name")]
    public void TensorEntryStructureWrong(string tensors, string fragment) => AssertRejected(Build(Header(tensors), 8), fragment);

    [Test]
    public void UnknownDtype() =>
        AssertRejected(Build(Header(""" "a":{"dtype":"int8","shape":[8],"offsets":[0,8]} """), 8), "unknown dtype 'int8'");

    [Test]
    public void NegativeDimension() =>
        AssertRejected(Build(Header(""" "a":{"dtype":"float32","shape":[-2,-1],"offsets":[0,8]} """), 8), "negative dimension -2");

    [TestCase("2.5", "shape entry 2.5, expected an integer")]
    [TestCase("\"2\"", "shape entry \"2\", expected an integer")]
    [TestCase("1e30", "shape entry 1e30, expected an integer")]
    [TestCase("3000000000", "dimension 3000000000")]
    public void DimensionNotAnInt32(string dim, string fragment) =>
        AssertRejected(Build(Header($$""" "a":{"dtype":"float32","shape":[{{dim}}],"offsets":[0,8]} """), 8), fragment);

    [Test]
    public void ShapeProductOverflows() =>
        AssertRejected(Build(Header(""" "a":{"dtype":"float64","shape":[2147483647,2147483647,2147483647],"offsets":[0,8]} """), 8),
            "element count overflows");

    [Test]
    public void ShapeBeyondOneArray() =>
        AssertRejected(Build(Header(""" "a":{"dtype":"float32","shape":[2147483647,2],"offsets":[0,8]} """), 8),
            "more than one array can hold");

    [Test]
    public void OffsetsDoNotMatchShape() =>
        AssertRejected(Build(Header(""" "a":{"dtype":"float64","shape":[2],"offsets":[0,8]} """), 8),
            "offsets [0, 8] (8 bytes) but shape [2] of float64 needs 16 bytes");

    [TestCase("[0]")]
    [TestCase("[0,8,16]")]
    [TestCase("[0,\"8\"]")]
    [TestCase("[0,8.5]")]
    public void OffsetsNotTwoIntegers(string offsets) =>
        AssertRejected(Build(Header($$""" "a":{"dtype":"float32","shape":[2],"offsets":{{offsets}}} """), 8), "expected [begin, end] as two integers");

    [TestCase("[-8,0]")]
    [TestCase("[8,0]")]
    public void OffsetsOutOfOrder(string offsets) =>
        AssertRejected(Build(Header($$""" "a":{"dtype":"float32","shape":[0],"offsets":{{offsets}}} """), 8), "expected 0 ≤ begin ≤ end");

    [Test]
    public void TensorsOverlap() =>
        AssertRejected(Build(Header(A + """, "b":{"dtype":"float32","shape":[2],"offsets":[4,12]} """), 12),
            "tensor 'b' at [4, 12] overlaps tensor 'a', which ends at 8");

    [Test]
    public void TensorsLeaveAGap() =>
        AssertRejected(Build(Header(A + """, "b":{"dtype":"float32","shape":[1],"offsets":[12,16]} """), 16),
            "tensor 'b' starts at 12, leaving a gap of 4 bytes after tensor 'a'");

    [Test]
    public void FirstTensorDoesNotStartAtZero() =>
        AssertRejected(Build(Header(""" "a":{"dtype":"float32","shape":[1],"offsets":[4,8]} """), 8),
            "leaving a gap of 4 bytes after the start of the data");

    [Test]
    public void DataTruncated() => AssertRejected(Build(Header(A + "," + B), 15), "data region is truncated");

    [Test]
    public void DataOverLong() => AssertRejected(Build(Header(A + "," + B), 17), "data region is over-long: 1 bytes follow");

    [Test]
    public void DuplicateTensorNames() =>
        AssertRejected(Build(Header(A + """, "a":{"dtype":"float32","shape":[2],"offsets":[8,16]} """), 16), "tensor name 'a' appears twice");

    [Test]
    public void MissingFile_IsFileNotFound()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Checkpoint.Read("/no/such/model.ckpt"))!;
        Assert.That(e.Message, Does.Contain("/no/such/model.ckpt"));
    }
}
