using System.CommandLine;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Cli.Commands;

/// <summary>What encode and reconstruct work on: the model, its images checked against it, the device, the output folder.</summary>
/// <param name="Loaded">The checkpoint's model, on <paramref name="Device"/>.</param>
/// <param name="Source">Where the images came from (their path and, for files, their names).</param>
/// <param name="Images">The images, at most --limit of them, of the shape the model was trained on.</param>
/// <param name="Device">Where the model runs.</param>
/// <param name="Folder">The --out folder.</param>
public sealed record OwnImagesJob(LoadedModel Loaded, LoadedImages Source, ImageSet Images, Device Device, string Folder);

/// <summary>
/// The arguments encode and reconstruct share — a checkpoint, the images (a user's own through
/// --images, or the test split of --data), --limit, --device, --out — and the loading both begin with.
/// </summary>
public sealed class OwnImages
{
    private readonly Argument<string> _checkpoint = OptionRules.PathArgument("checkpoint", "A checkpoint.scratch written by train or compare (or its run folder)");
    private readonly Option<string?> _images;
    private readonly Option<int> _limit;
    private readonly Option<string> _device = CommonOptions.Device();
    private readonly Option<string> _output;
    private readonly DataArguments _data = new();

    /// <param name="verb">"encode" or "reconstruct", for the help texts.</param>
    /// <param name="writes">What --out receives, e.g. "codes.csv and codes.npy".</param>
    /// <param name="defaultFolder">--out's default under runs/.</param>
    public OwnImages(string verb, string writes, string defaultFolder)
    {
        _images = OptionRules.OptionalText("--images",
            $"The images to {verb}: an image folder (PNG/JPEG, any layout --data takes), a .npy or an IDX images file; default: the test split of --data");
        _limit = OptionRules.Int("--limit", $"Only the first N images (0 = all)", 0, 0, int.MaxValue);
        _output = OptionRules.WithOutputAliases(OptionRules.Text("--out", $"Folder for {writes}", Path.Combine("runs", defaultFolder)));
    }

    /// <summary>Adds every argument and option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(_checkpoint);
        foreach (var option in new Option[] { _images, _limit, _device, _output }) command.Options.Add(option);
        _data.AddTo(command);
    }

    /// <summary>The checkpoint's model on its device and the images it is to see, refused with one line when their shapes differ.</summary>
    public OwnImagesJob Load(ParseResult parse, CliContext context)
    {
        var device = Device.Parse(parse.GetValue(_device)!);
        var loaded = ModelCheckpoint.Load(CommonOptions.CheckpointFile(parse.GetValue(_checkpoint)!));
        var source = parse.GetValue(_images) is { } path
            ? _data.LoadImages(parse, context, path, "--images")
            : TestSplit(_data.Load(parse, context));
        var images = source.Images.Take(parse.GetValue(_limit));
        CommonOptions.CheckImages(loaded.Spec.Config, images, source.Path);
        loaded.Model.To(device);
        return new OwnImagesJob(loaded, source, images, device, parse.GetValue(_output)!);
    }

    private static LoadedImages TestSplit(ImageDataset dataset) => new($"the test split of {dataset.Source}", dataset.Test, Names: null);
}
