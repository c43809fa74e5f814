using System.CommandLine;
using Scratch.Cli.OldCheckpoints;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch convert: rewrites a checkpoint of the old scratch-checkpoint format (version 1) as
/// safetensors (version 2), the only format the engine reads. The old reader lives here, in the
/// command line, and nowhere else.
/// </summary>
public static class ConvertCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = OptionRules.PathArgument("checkpoint", "A checkpoint written by an older Scratch (or its run folder)");
        var output = OptionRules.WithOutputAliases(OptionRules.OptionalText("--out", "Where to write the converted file (default: replace the old file, atomically)"));
        var command = new Command("convert", "Rewrite an old scratch-checkpoint file as safetensors with PyTorch state_dict names") { checkpoint, output };
        command.SetAction(parse =>
        {
            string path = CommonOptions.CheckpointFile(parse.GetValue(checkpoint)!);
            string target = parse.GetValue(output) is { } o ? CommonOptions.OutputFile(o, ModelCheckpoint.FileName) : path;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
            if (!IsOldFormat(path))
            {
                context.Line($"nothing to do: {path} is already a safetensors checkpoint");
                return 0;
            }
            Convert(path, target);
            context.Line($"converted {path} to safetensors: {target}");
            return 0;
        });
        return command;
    }

    /// <summary>True when <paramref name="path"/> is in the old scratch-checkpoint format (version 1).</summary>
    public static bool IsOldFormat(string path) => File.Exists(path) && !Safetensors.IsSafetensors(path);

    // Written beside the target first and loaded in full as a model: a file that is not a valid
    // model checkpoint is refused and nothing is replaced.
    private static void Convert(string path, string target)
    {
        var old = Checkpoint.Read(path);
        string trial = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, $".{Path.GetFileName(target)}.converting");
        try
        {
            ModelCheckpoint.WriteParts(trial, old.Metadata, old.Arrays);
            try
            {
                ModelCheckpoint.Load(trial);
            }
            catch (CheckpointFormatException e)
            {
                // The message names the trial file: name the user's.
                throw new CheckpointFormatException(path, e.Message[(e.FilePath.Length + 2)..], e);
            }
            File.Move(trial, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(trial)) File.Delete(trial);
        }
    }
}
