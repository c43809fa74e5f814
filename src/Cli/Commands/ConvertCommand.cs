using System.CommandLine;
using System.Text.Json.Nodes;
using Scratch.Cli.OldCheckpoints;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch convert: rewrites a checkpoint an older Scratch wrote — version 1, the scratch-checkpoint
/// format, or version 2, safetensors with one layout per family — as a version-3 training state,
/// the only format the engine reads. The old readers live here, in the command line, and nowhere else.
/// </summary>
public static class ConvertCommand
{
    /// <summary>The __metadata__ key of version 2's JSON.</summary>
    private const string Version2Key = "scratch.checkpoint";

    public static Command Create(CliContext context)
    {
        var checkpoint = OptionRules.PathArgument("checkpoint", "A checkpoint written by an older Scratch (or its run folder)");
        var output = OptionRules.WithOutputAliases(OptionRules.OptionalText("--out", "Where to write the converted file (default: replace the old file, atomically)"));
        var overwrite = CommonOptions.OverwriteFile();
        var command = new Command("convert", "Rewrite a checkpoint of an older Scratch as the current safetensors training state") { checkpoint, output, overwrite };
        command.SetAction(parse =>
        {
            string path = CommonOptions.CheckpointFile(parse.GetValue(checkpoint)!);
            string target = parse.GetValue(output) is { } o ? CommonOptions.OutputFile(o, ModelCheckpoint.FileName, parse.GetValue(overwrite)) : path;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
            // Read once: a current file is left alone, an old one converted, a damaged or foreign one refused naming what is wrong.
            try
            {
                TrainingState.Read(path);
                context.Line($"nothing to do: {path} is already a current checkpoint");
                return 0;
            }
            catch (OldCheckpointFormatException) { }
            Convert(path, target);
            context.Line($"converted {path} to the current training state: {target}");
            return 0;
        });
        return command;
    }

    /// <summary>True when <paramref name="path"/> was written by an older Scratch (format version 1 or 2).</summary>
    public static bool IsOldFormat(string path)
    {
        try
        {
            TrainingState.Read(path);
            return false;
        }
        catch (OldCheckpointFormatException)
        {
            return true;
        }
        catch (CheckpointFormatException)
        {
            return false; // damaged or foreign: not ours to convert, and the loaders say what is wrong
        }
    }

    // The old metadata and arrays, upgraded, written beside the target and loaded in full: a file
    // that is not a valid checkpoint is refused and nothing is replaced.
    private static void Convert(string path, string target)
    {
        var (metadata, tensors) = ReadOld(path);
        var upgraded = Upgrade.Metadata(path, metadata);
        string trial = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, $".{Path.GetFileName(target)}.converting");
        try
        {
            TrainingState.WriteParts(trial, upgraded, tensors);
            try
            {
                if (upgraded["content"]?.GetValue<string>() == ModelCheckpoint.Content) ModelCheckpoint.Load(trial);
                else TrainingState.Read(trial); // a GAN's networks are checked against its recipe when generate --resume restores it
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

    private static (JsonObject Metadata, IReadOnlyList<(string Name, Tensor Tensor)> Tensors) ReadOld(string path)
    {
        if (!Safetensors.IsSafetensors(path))
        {
            var old = Checkpoint.Read(path);
            return (old.Metadata, old.Arrays.Select(a => (a.Name, a.Float32 is { } f ? Tensor.FromArray(f, a.Shape) : Tensor.FromArray(a.Float64!, a.Shape))).ToList());
        }
        var (tensors, strings) = Safetensors.Load(path);
        try
        {
            return (JsonNode.Parse(strings[Version2Key]) as JsonObject ?? throw new System.Text.Json.JsonException("not an object"), tensors);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CheckpointFormatException(path, $"__metadata__['{Version2Key}'] is not a JSON object ({e.Message})", e);
        }
    }
}
