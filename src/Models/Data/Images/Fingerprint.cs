using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scratch.Models.Data;

/// <summary>
/// A short digest of what a dataset's bytes depend on (its files' names, sizes and write times,
/// and the loading options): equal fingerprints, same images. Only what a directory listing and
/// a stat give, so computing it costs no file read. SHA-256, the first 16 hex digits.
/// </summary>
internal sealed class Fingerprint
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Starts a digest with <paramref name="kind"/> (e.g. "image folder v1"): bump its version when the decoding changes the bytes.</summary>
    public Fingerprint(string kind) => Add(kind);

    /// <summary>Adds one field. Each is length-prefixed, so ("ab", "c") and ("a", "bc") differ.</summary>
    public Fingerprint Add(string field)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes($"{field.Length}:{field};"));
        return this;
    }

    /// <summary>Adds a file's name (as given), size and last write time (UTC ticks).</summary>
    public Fingerprint AddFile(string name, FileInfo file) =>
        Add(name).Add(file.Length.ToString(CultureInfo.InvariantCulture)).Add(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds every option that changes the images' bytes or the split: size, channels, test fraction, seed, SkipBad, pixel limit.</summary>
    public Fingerprint AddOptions(DataOptions options) =>
        Add(options.ImageSize is { } s ? $"{s.Height}x{s.Width}" : "native")
            .Add(options.Channels?.ToString(CultureInfo.InvariantCulture) ?? "native")
            .Add(options.TestFraction.ToString("R", CultureInfo.InvariantCulture))
            .Add(options.Seed.ToString(CultureInfo.InvariantCulture))
            .Add(options.SkipBad ? "skip bad" : "refuse bad")
            .Add(options.PixelLimit.ToString(CultureInfo.InvariantCulture));

    /// <summary>The digest: 16 lowercase hex digits (64 bits).</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset())[..16];
}
