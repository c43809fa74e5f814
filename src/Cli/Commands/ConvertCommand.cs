using System.CommandLine;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch convert: rewrites a checkpoint of the old scratch-checkpoint format (version 1) as
/// safetensors (version 2), the format every command now writes. The other commands still read old
/// files; converting makes them readable by any safetensors reader (PyTorch, the safetensors library).
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
            if (!ModelCheckpoint.IsOldFormat(path))
            {
                if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
                context.Line($"nothing to do: {path} is already a safetensors checkpoint");
                return 0;
            }
            // Loaded in full first: a file that is not a valid model checkpoint is refused, never rewritten.
            ModelCheckpoint.Load(path);
            var (metadata, arrays) = ModelCheckpoint.ReadParts(path);
            ModelCheckpoint.WriteParts(target, metadata, arrays);
            ModelCheckpoint.Load(target);
            context.Line($"converted {path} to safetensors: {target}");
            return 0;
        });
        return command;
    }
}
