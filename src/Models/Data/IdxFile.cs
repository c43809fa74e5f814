namespace Scratch.Models.Data;

/// <summary>
/// The contents of one IDX file of unsigned bytes: its dimensions as declared in the header
/// (e.g. [count, rows, cols] for images, [count] for labels) and the data, row-major.
/// </summary>
public sealed class IdxFile
{
    public string Path { get; }
    public int[] Dims { get; }
    /// <summary>Row-major bytes; Data.Length == product of Dims.</summary>
    public byte[] Data { get; }

    public IdxFile(string path, int[] dims, byte[] data)
    {
        Path = path;
        Dims = dims;
        Data = data;
    }
}
