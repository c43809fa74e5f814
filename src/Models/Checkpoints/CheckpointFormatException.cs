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
/// A checkpoint an older Scratch wrote: version 1, the scratch-checkpoint format, or version 2,
/// safetensors with a layout per family. The engine reads only the current
/// <see cref="TrainingState"/>; the application that holds such files converts them (the command
/// line's <c>convert</c>).
/// </summary>
public sealed class OldCheckpointFormatException(string filePath, int version)
    : CheckpointFormatException(filePath, $"was written by an older Scratch (checkpoint format version {version}), which is read only to be converted")
{
    /// <summary>The file's format version.</summary>
    public int Version { get; } = version;
}
