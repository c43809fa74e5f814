namespace Scratch.Models.Checkpoints;

/// <summary>A checkpoint or safetensors file that cannot be read as one; the message starts with its path.</summary>
public class CheckpointFormatException : Exception
{
    /// <summary>The file that was refused.</summary>
    public string FilePath { get; }

    /// <summary>A refusal of <paramref name="filePath"/> for <paramref name="problem"/> (one line, written for people).</summary>
    public CheckpointFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}

/// <summary>
/// A checkpoint in the scratch-checkpoint format that Scratch wrote before it wrote safetensors.
/// The engine reads only safetensors; the application that holds such files converts them (the
/// command line's <c>convert</c>).
/// </summary>
public sealed class OldCheckpointFormatException(string filePath)
    : CheckpointFormatException(filePath, "is in the scratch-checkpoint format of an older Scratch, which is read only to be converted to safetensors");
