namespace Scratch.Models.Data;

/// <summary>
/// Data that cannot be used: an image that does not decode or is too large, a .npy whose header
/// lies, a folder with no images, images of sizes that do not agree. The message always starts
/// with the file's (or folder's) path, so a user with thousands of files knows which one to look at.
/// </summary>
public class DataFormatException : Exception
{
    /// <summary>The file (or folder) that could not be used.</summary>
    public string FilePath { get; }

    /// <summary>An error whose message is "<paramref name="filePath"/>: <paramref name="problem"/>".</summary>
    public DataFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}
