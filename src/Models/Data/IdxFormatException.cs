namespace Scratch.Models.Data;

/// <summary>
/// An IDX file (MNIST's format) that cannot be read: wrong magic, sizes that do not match the bytes,
/// labels out of range. The message always starts with the file's path, so a user with several
/// downloads knows which one is broken.
/// </summary>
public sealed class IdxFormatException : Exception
{
    public string FilePath { get; }

    public IdxFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}
