using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Scratch.Models.Data;

namespace Scratch.Cli.Commands;

/// <summary>
/// --data and the options that say how to read it (--image-size, --channels, --test-fraction,
/// --skip-bad), shared by every command that reads images, and the one place that loads them.
/// </summary>
public sealed class DataArguments
{
    /// <summary>The largest side --image-size accepts: 4096 pixels (a 4096×4096 RGB image is 48 MB of bytes).</summary>
    public const int MaxSide = 4096;

    /// <summary>Where decoded image folders are kept between runs (an .npy per fingerprint).</summary>
    public static readonly string CacheFolder = Path.Combine("runs", "cache", "data");

    public Option<string?> Data { get; } = OptionRules.OptionalText("--data",
        "The images: a folder of MNIST IDX files (raw or .gz, Kaggle's names too), a folder of PNG/JPEG images "
        + "(DIR/<class>/*.png, optionally under train/ and test/), or a .npy file; or colour-mnist (the bundled sample coloured as "
        + "the AVAE paper's ColorMnist; colour-mnist:DIR colours an MNIST IDX folder); default: the bundled data/mnist-sample");

    public Option<(int Height, int Width)?> ImageSize { get; } = new("--image-size")
    {
        Description = $"Resize every image to H or HxW pixels (centre crop to that aspect, then area-average down or bilinear up); default: keep the sizes, which must agree",
        CustomParser = ParseSize,
    };

    public Option<int?> Channels { get; } = new("--channels")
    {
        Description = "1 (grey, BT.601 luma) or 3 (RGB); default: what the images have",
        CustomParser = r =>
        {
            string text = r.Tokens.Count == 0 ? "" : r.Tokens[0].Value;
            if (text is "1" or "3") return int.Parse(text, CultureInfo.InvariantCulture);
            r.AddError($"--channels '{text}': expected 1 (grey) or 3 (RGB)");
            return null;
        },
    };

    public Option<double> TestFraction { get; } = OptionRules.Double("--test-fraction",
        $"Data without a test split (an image folder without test/, a .npy): hold out this fraction of it, the same images every run (default {DataOptions.DefaultTestFraction})",
        DataOptions.DefaultTestFraction, new OptionRules.Range(0, 1, MinOpen: true, MaxOpen: true));

    public Option<bool> SkipBad { get; } = new("--skip-bad")
    {
        Description = "Skip images that cannot be used (unreadable, truncated, too large) and say how many, instead of refusing the folder",
    };

    /// <summary>Every data option.</summary>
    public IReadOnlyList<Option> All => [Data, ImageSize, Channels, TestFraction, SkipBad];

    /// <summary>Adds every data option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>
    /// The dataset the options name, with one line saying what was found; refused with one line when
    /// it cannot serve (a file that is not an image, sizes that disagree, a split without images).
    /// </summary>
    public ImageDataset Load(ParseResult parse, CliContext context)
    {
        string path = parse.GetValue(Data) ?? DataSource.SampleDirectory();
        var options = Options(parse, context);
        ImageDataset data;
        try
        {
            data = DataSource.Load(path, options);
        }
        catch (Exception e) when (e is DataFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"--data {e.Message}");
        }
        if (data.Train.Count == 0 || data.Test.Count == 0)
            throw new UsageException($"--data {data.Source} holds {data.Train.Count} training and {data.Test.Count} test images; both splits need at least one");
        context.Progress.Line(Describe(data, options));
        return data;
    }

    /// <summary>
    /// Every image at <paramref name="path"/> (an IDX images file, a .npy, an image folder) in file
    /// order, read with the same --image-size, --channels and --skip-bad as --data.
    /// </summary>
    public LoadedImages LoadImages(ParseResult parse, CliContext context, string path, string option)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new UsageException($"{option} {path} does not exist");
        var options = Options(parse, context);
        try
        {
            return DataSource.LoadImages(path, options);
        }
        catch (Exception e) when (e is DataFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"{option} {e.Message}");
        }
    }

    private DataOptions Options(ParseResult parse, CliContext context) => new()
    {
        ImageSize = parse.GetValue(ImageSize),
        Channels = parse.GetValue(Channels),
        TestFraction = parse.GetValue(TestFraction),
        SkipBad = parse.GetValue(SkipBad),
        CacheFolder = CacheFolder,
        Log = context.Progress.Line,
    };

    /// <summary>"data: DIR (image folder): 800 training and 200 test images (a 20% holdout, seed 1), 32×32 RGB, 3 classes".</summary>
    public static string Describe(ImageDataset data, DataOptions options)
    {
        string holdout = data.TestIsHoldout ? string.Create(CultureInfo.InvariantCulture, $" (a {options.TestFraction:P0} holdout, seed {options.Seed})") : "";
        string classes = data.IsLabelled ? $", {data.ClassNames.Count} classes" : ", unlabelled";
        // "data: colour-mnist: …", not "data: colour-mnist (colour-mnist): …".
        string format = data.Source == data.Format ? "" : $" ({data.Format})";
        return string.Create(CultureInfo.InvariantCulture, $"data: {data.Source}{format}: {data.Train.Count:N0} training and {data.Test.Count:N0} test images{holdout}, {data.Shape}{classes}");
    }

    // "64" → 64×64; "64x48" or "64×48" → 64 high, 48 wide.
    private static (int, int)? ParseSize(ArgumentResult r)
    {
        string text = r.Tokens.Count == 0 ? "" : r.Tokens[0].Value;
        var parts = text.Split('x', '×', 'X');
        var sides = new List<int>();
        foreach (var part in parts)
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int side) && side is >= 1 and <= MaxSide) sides.Add(side);
        }
        if (sides.Count == parts.Length && sides.Count is 1 or 2) return (sides[0], sides[^1]);
        r.AddError($"--image-size '{text}': expected H or HxW, each from 1 to {MaxSide}, e.g. 28 or 64x48");
        return null;
    }
}
