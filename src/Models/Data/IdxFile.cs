namespace Scratch.Models.Data;

/// <summary>
/// The contents of one IDX file of unsigned bytes: its dimensions as declared in the header
/// (e.g. [count, rows, cols] for images, [count] for labels) and the data, row-major.
/// </summary>
public sealed class IdxFile
{
    /// <summary>The file it was read from, for error messages.</summary>
    public string Path { get; }
    /// <summary>The sizes declared in the header: [count, rows, cols] for images, [count] for labels.</summary>
    public int[] Dims { get; }
    /// <summary>Row-major bytes; Data.Length == product of Dims.</summary>
    public byte[] Data { get; }

    /// <summary>Wraps already-read contents; <see cref="IdxReader"/> is what checks them.</summary>
    public IdxFile(string path, int[] dims, byte[] data)
    {
        Path = path;
        Dims = dims;
        Data = data;
    }
}
