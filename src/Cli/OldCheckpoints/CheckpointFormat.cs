namespace Scratch.Cli.OldCheckpoints;

/// <summary>
/// Constants of the scratch-checkpoint file format (docs/checkpoint-format.md):
/// <code>
///   [8 bytes]  N, the header length, unsigned little-endian
///   [N bytes]  UTF-8 JSON: {"format":"scratch-checkpoint","version":1,"metadata":{…},
///              "tensors":{"name":{"dtype":"float32","shape":[…],"offsets":[begin,end]},…}}
///              padded with spaces so the data starts at a multiple of 8
///   [rest]     tensor data, little-endian, packed; offsets count from the start of this region
/// </code>
/// </summary>
public static class CheckpointFormat
{
    public const string FormatName = "scratch-checkpoint";
    public const int Version = 1;

    /// <summary>Header lengths are padded to this, so every float64 array starts 8-byte aligned in the file.</summary>
    public const int Alignment = 8;
}
