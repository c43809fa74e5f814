using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;

namespace Scratch.Models.Tests.Checkpoints;

/// <summary>
/// Safetensors as the format is specified: files written by hand to the specification load; what
/// Scratch writes has the layout the safetensors library demands; checksums, non-finite values and
/// unsupported dtypes are refused with the tensor named.
/// </summary>
public class SafetensorsTests
{
    // A file built byte by byte from the specification: 8-byte little-endian header length, JSON, data.
    private static byte[] HandMade(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    private static byte[] Floats(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    [Test]
    public void AFileWrittenToTheSpecificationLoads()
    {
        using var temp = new TempFolder();
        // Unsorted keys, __metadata__ last, no padding, no checksums: as another writer may produce it.
        var data = Floats(1, 2, 3, 4, 5, 6).Concat(BitConverter.GetBytes(-0.5)).ToArray();
        File.WriteAllBytes(temp.File("x.safetensors"), HandMade(
            "{\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[24,32]},\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"__metadata__\":{\"format\":\"pt\"}}", data));
        var content = Safetensors.Load(temp.File("x.safetensors"));
        Assert.That(content.Metadata["format"], Is.EqualTo("pt"));
        Assert.That(content.ByName["a"].ShapeArray, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(content.ByName["a"].ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(content.ByName["b"].DType, Is.EqualTo(DType.Float64));
        Assert.That(content.ByName["b"].ToArray<double>(), Is.EqualTo(new[] { -0.5 }));
    }

    [Test]
    public void WhatScratchWritesHasTheLayoutTheSafetensorsLibraryDemands()
    {
        using var temp = new TempFolder();
        var w = Tensor.FromArray(new float[] { 1, -2, 3.5f, 0 }, 2, 2);
        var d = Tensor.FromArray(new[] { 1e-300, 2.0 }, 2);
        Safetensors.Save(temp.File("m.safetensors"), [("layer.weight", w), ("layer.bias", d)], new Dictionary<string, string> { ["note"] = "hi" });
        var bytes = File.ReadAllBytes(temp.File("m.safetensors"));
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That((8 + n) % 8, Is.EqualTo(0), "data 8-byte aligned");
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                Assert.That(entry.Value.EnumerateObject().Select(p => p.Value.ValueKind), Is.All.EqualTo(JsonValueKind.String), "metadata is a string→string map");
                continue;
            }
            Assert.That(entry.Value.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "dtype", "shape", "data_offsets" }), entry.Name);
        }
        Assert.That(header.RootElement.GetProperty("layer.weight").GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(header.RootElement.GetProperty("layer.bias").GetProperty("dtype").GetString(), Is.EqualTo("F64"));
        Assert.That(header.RootElement.GetProperty("layer.bias").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 16, 32 }));
        Assert.That(BitConverter.ToSingle(bytes, 8 + (int)n + 8), Is.EqualTo(3.5f), "row-major little-endian data");

        var back = Safetensors.Load(temp.File("m.safetensors"));
        Assert.That(back.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "layer.weight", "layer.bias" }));
        Assert.That(back.ByName["layer.bias"].ToArray<double>(), Is.EqualTo(new[] { 1e-300, 2.0 }));
        Assert.That(back.Metadata["note"], Is.EqualTo("hi"));
        Assert.That(back.Metadata, Does.ContainKey(Safetensors.ChecksumKey));
    }

    [TestCase("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "tensor 'w' has dtype 'BF16'")]
    [TestCase("{\"__metadata__\":{\"n\":1},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "metadata values are strings")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4, "unexpected or repeated field 'extra'")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "needs 8 bytes")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "over-long")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap")]
    [TestCase("[1]", 0, "expected an object")]
    public void DefectsAreOneLineNamingTheEntry(string header, int dataBytes, string mentions)
    {
        using var temp = new TempFolder();
        var path = temp.File("bad.safetensors");
        File.WriteAllBytes(path, HandMade(header, new byte[dataBytes]));
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain(mentions));
    }

    [Test]
    public void AFlippedBitIsRefusedByItsChecksum()
    {
        using var temp = new TempFolder();
        var path = temp.File("m.safetensors");
        Safetensors.Save(path, [("a", Tensor.FromArray(new float[] { 1, 2, 3 }, 3)), ("b", Tensor.FromArray(new float[] { 4 }, 1))]);
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x01; // inside 'a'
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path));
        Assert.That(e!.Message, Does.Contain("tensor 'a' fails its CRC-32 check"));
    }

    [Test]
    public void NonFiniteValuesAreRefusedWithTheTensorNamed()
    {
        using var temp = new TempFolder();
        var path = temp.File("m.safetensors");
        File.WriteAllBytes(path, HandMade("{\"enc.weight\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", Floats(1, float.PositiveInfinity, float.NaN)));
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path));
        Assert.That(e!.Message, Does.Contain("tensor 'enc.weight' holds 2 non-finite value(s), the first ∞ at element 1").Or.Contain("the first Infinity at element 1"));
    }

    [Test]
    public void StateDictRoundTripsAModelThroughAFile()
    {
        using var temp = new TempFolder();
        var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { InputSize = 12, HiddenSizes = [6], LatentSize = 2 } };
        var a = ModelFactory.Create(spec, new Rng(1));
        var b = ModelFactory.Create(spec, new Rng(2));
        Safetensors.Save(temp.File("vae.safetensors"), a.StateDict().Select(kv => (kv.Key, kv.Value)));
        var (missing, unexpected) = b.LoadStateDict(Safetensors.Load(temp.File("vae.safetensors")).ByName);
        Assert.That(missing, Is.Empty);
        Assert.That(unexpected, Is.Empty);
        Assert.That(a.StateDict().Keys, Is.EqualTo(new[] { "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias" }),
            "PyTorch's state_dict names of nn.Sequential(Linear, ReLU, Linear) encoders and decoders");
        foreach (var (name, t) in a.StateDict())
            Assert.That(b.StateDict()[name].ToArray<float>(), Is.EqualTo(t.ToArray<float>()), name);
    }

    [Test]
    public void LoadStateDictFollowsPyTorchsStrictness()
    {
        var spec = new ModelSpec { Kind = "ae", Config = new AutoencoderConfig { InputSize = 8, HiddenSizes = [], LatentSize = 2 } };
        var model = ModelFactory.Create(spec, new Rng(1));
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Contiguous());
        state.Remove("decoder.0.bias");
        state["decoder.9.weight"] = Tensor.Zeros([1]);
        var e = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.That(e!.Message, Does.Contain("missing key(s): decoder.0.bias").And.Contain("unexpected key(s): decoder.9.weight"));
        var (missing, unexpected) = model.LoadStateDict(state, strict: false);
        Assert.That(missing, Is.EqualTo(new[] { "decoder.0.bias" }));
        Assert.That(unexpected, Is.EqualTo(new[] { "decoder.9.weight" }));
        state.Remove("decoder.9.weight");
        state["encoder.0.weight"] = Tensor.Zeros([3, 8]);
        var size = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state, strict: false));
        Assert.That(size!.Message, Does.Contain("size mismatch for encoder.0.weight"));
    }
}
