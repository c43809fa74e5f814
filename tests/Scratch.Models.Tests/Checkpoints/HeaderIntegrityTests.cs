using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Models.Tests.Checkpoints;

/// <summary>
/// The header of a file Scratch wrote is covered by a CRC-32 of its own: a flipped bit in the
/// metadata (a training state's RNG, history, epoch count) or in a tensor's entry is refused, and
/// removing the checksums does not switch the checks off.
/// </summary>
public class HeaderIntegrityTests
{
    private static string Written(TempFolder temp)
    {
        string path = temp.File("state.safetensors");
        Safetensors.Save(path, [("w", Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3)), ("b", Tensor.FromArray(new[] { 0.5 }, 1))],
            new Dictionary<string, string>
            {
                ["scratch.state"] = """{"epochsDone":2,"rngs":{"trainer":{"s0":"123456789"}},"history":[{"trainLoss":1.5e-3}]}""",
                ["scratch.format_version"] = "3",
            });
        return path;
    }

    [Test]
    public void EverySingleBitFlipInTheHeader_IsRefused()
    {
        using var temp = new TempFolder();
        string path = Written(temp);
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        Assert.That(Safetensors.Load(path).Tensors, Has.Count.EqualTo(2), "the untouched file loads");
        int flips = 0;
        for (int at = 0; at < headerEnd; at++)
            for (int bit = 0; bit < 8; bit++)
            {
                var damaged = (byte[])original.Clone();
                damaged[at] ^= (byte)(1 << bit);
                File.WriteAllBytes(path, damaged);
                Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path), $"bit {bit} of byte {at} ('{(char)original[at]}')");
                flips++;
            }
        TestContext.Out.WriteLine($"{flips} single-bit flips of a {headerEnd}-byte header, every one refused");
    }

    [TestCase("scratch.crc32", "no tensor checksums")]
    [TestCase("scratch.header_crc32", "no header checksum")]
    public void AFileThatSaysScratchWroteItMustCarryItsChecksums(string removed, string mentions)
    {
        using var temp = new TempFolder();
        string path = Written(temp);
        RewriteMetadata(path, metadata => metadata.Remove(removed));
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path))!;
        Assert.That(e.Message, Does.Contain(mentions).And.Contain(removed));
    }

    [Test]
    public void AnEditedValueWithTheOldChecksums_IsRefused()
    {
        using var temp = new TempFolder();
        string path = Written(temp);
        // What a hand edit of the epoch count does: the JSON stays valid, only the header checksum knows.
        RewriteMetadata(path, metadata => metadata["scratch.state"] = metadata["scratch.state"]!.GetValue<string>().Replace("\"epochsDone\":2", "\"epochsDone\":7"));
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(path))!;
        Assert.That(e.Message, Does.Contain("header fails its CRC-32 check"));
    }

    [Test]
    public void FilesOfOtherWriters_AndOlderScratchFiles_StillLoad()
    {
        using var temp = new TempFolder();
        string path = Written(temp);
        RewriteMetadata(path, metadata =>
        {
            foreach (var key in metadata.Select(p => p.Key).ToList()) metadata.Remove(key);
            metadata["format"] = "pt";
        });
        Assert.That(Safetensors.Load(path).Tensors, Has.Count.EqualTo(2), "no scratch.* key: another writer's file, no checksums asked for");
        Assert.That(Safetensors.Load(Golden.PathOf("v2_vae.safetensors")).Metadata.ContainsKey(Safetensors.HeaderChecksumKey), Is.False,
            "a version-2 file predates header checksums and loads on its tensor checksums");
    }

    // Rewrites the __metadata__ of the file at `path` in place, keeping every other byte of the header's JSON.
    private static void RewriteMetadata(string path, Action<JsonObject> edit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, n).TrimEnd())!.AsObject();
        edit(header["__metadata__"]!.AsObject());
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + bytes.Length - 8 - n];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.AsSpan(8 + n).CopyTo(file.AsSpan(8 + padded));
        File.WriteAllBytes(path, file);
    }
}
