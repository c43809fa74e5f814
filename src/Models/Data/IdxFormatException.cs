namespace Scratch.Models.Data;

/// <summary>
/// An IDX file (MNIST's format) that cannot be read: wrong magic, sizes that do not match the bytes,
/// labels out of range.
/// </summary>
public sealed class IdxFormatException : DataFormatException
{
    /// <summary>An error whose message is "<paramref name="filePath"/>: <paramref name="problem"/>".</summary>
    public IdxFormatException(string filePath, string problem, Exception? inner = null)
        : base(filePath, problem, inner)
    {
    }
}
