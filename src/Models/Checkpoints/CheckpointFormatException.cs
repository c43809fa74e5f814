namespace Scratch.Models.Checkpoints;

/// <summary>A checkpoint file that is not a valid scratch-checkpoint; the message starts with its path.</summary>
public sealed class CheckpointFormatException : Exception
{
    public string FilePath { get; }

    public CheckpointFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}
