using System.CommandLine;
using Scratch.Models.Data;

namespace Scratch.Cli.Commands;

/// <summary>The images encode and reconstruct work on: a user's own (--images), or the test split of --data.</summary>
public static class OwnImages
{
    /// <summary>The --images option of <paramref name="command"/>.</summary>
    public static Option<string?> Option(string command) => OptionRules.OptionalText("--images",
        $"The images to {command}: an image folder (PNG/JPEG, any layout --data takes), a .npy or an IDX images file; default: the test split of --data");

    /// <summary>Every image of --images in file order, or the test split of --data.</summary>
    public static LoadedImages Load(ParseResult parse, CliContext context, DataArguments data, Option<string?> images)
    {
        if (parse.GetValue(images) is { } path)
            return data.LoadImages(parse, context, path, "--images");
        var dataset = data.Load(parse, context);
        return new LoadedImages($"the test split of {dataset.Source}", dataset.Test, Names: null);
    }
}
