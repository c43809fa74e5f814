namespace Scratch.Models.Data;

/// <summary>
/// An IDX file (MNIST's format) that cannot be read: wrong magic, sizes that do not match the bytes,
/// labels out of range. The message always starts with the file's path, so a user with several
/// downloads knows which one is broken.
/// </summary>
public sealed class IdxFormatException : Exception
{
    /// <summary>The file that could not be read (or the folder, when two files disagree).</summary>
    public string FilePath { get; }

    /// <summary>An error whose message is "<paramref name="filePath"/>: <paramref name="problem"/>".</summary>
    public IdxFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}
