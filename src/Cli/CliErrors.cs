using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Cli;

/// <summary>A mistake in how the program was called, found after parsing (e.g. a checkpoint that is not a VAE's).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Turns any failure into ONE line on the error writer. The exceptions a user can cause (bad
/// files, bad options, a diverging run, a missing device) carry messages written for people, so
/// the line is the message; anything else is a bug and says so. --verbose adds the stack trace.
/// </summary>
public static class CliErrors
{
    public const int RuntimeError = 1;
    public const int UsageError = 2;

    public static int Report(Exception e, TextWriter error, bool verbose)
    {
        bool expected = e is CheckpointFormatException or DataFormatException or IOException or UnauthorizedAccessException
            or TrainingDivergedException or ArgumentException or InvalidOperationException or NotSupportedException or UsageException;
        string message = OneLine(e.Message);
        if (e is OldCheckpointFormatException old) message += $"; convert it with: scratch convert {old.FilePath}";
        error.WriteLine(expected
            ? $"error: {message}"
            : $"error: internal error ({e.GetType().Name}): {message} (run with --verbose for details)");
        if (verbose) error.WriteLine(e.ToString());
        return e is UsageException ? UsageError : RuntimeError;
    }

    /// <summary>Messages are joined onto one line: a script reading stderr gets one record per failure.</summary>
    public static string OneLine(string text) =>
        string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
