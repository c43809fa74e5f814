using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Scratch.Kernels;
using Scratch.Models.Data;

namespace Scratch.Cli.Commands;

/// <summary>Options several commands share: threads, device, data folder, verbose.</summary>
public static class CommonOptions
{
    /// <summary>On every command: print the stack trace of an error too.</summary>
    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "On error, print the full exception and stack trace",
        Recursive = true,
    };

    /// <summary>On every command: the CPU kernels' thread count (results are bitwise the same for any count).</summary>
    /// <summary>On every command: no progress or notes, only results and errors.</summary>
    public static Option<bool> Quiet() => new("--quiet", "-q")
    {
        Description = "Print no progress or notes: only the results (and errors, on stderr)",
        Recursive = true,
    };

    /// <summary>eval and compare: the results as JSON on stdout; progress goes to stderr.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the results as JSON on stdout (progress goes to stderr)",
    };

    /// <summary>Largest --threads: far above any core count this program meets, low enough to catch a typo (1000).</summary>
    public const int MaxThreads = 256;

    /// <summary>On every command: the CPU kernels' thread count (results are bitwise the same for any count).</summary>
    public static Option<int?> Threads()
    {
        var option = OptionRules.OptionalInt("--threads", $"CPU threads for the kernels, 1 to {MaxThreads} (default: all cores)", 1, MaxThreads);
        option.Recursive = true;
        return option;
    }

    public static Option<string> Device() => OptionRules.OneOf("--device",
        "Where to compute: cpu, ilgpu-cpu (GPU kernels simulated on the CPU) or cuda", "cpu", "cpu", "ilgpu-cpu", "cuda");

    /// <summary>Applies --threads before any work starts.</summary>
    public static void ApplyThreads(ParseResult parse)
    {
        if (parse.GetValue<int?>("--threads") is int n) CpuThreads.Count = n;
    }

    /// <summary>Layer sizes are capped here: 784×16384 floats is already 50 MB per layer.</summary>
    public const int MaxLayerSize = 16384;

    /// <summary>"400" or "512,256" → [400] or [512, 256]; "none" → [] (no hidden layer). "" is refused, not read as none.</summary>
    public static int[] ParseSizes(ArgumentResult result)
    {
        // "512,256" and "512 256" both work: an array option takes every token that follows it.
        string text = string.Join(",", result.Tokens.Select(t => t.Value));
        if (text.Trim() == "none") return [];
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1 || size > MaxLayerSize)
            {
                result.AddError($"--hidden '{text}': expected comma-separated layer sizes from 1 to {MaxLayerSize}, e.g. 400 or 512,256 (or 'none' for no hidden layer)");
                return [];
            }
            sizes.Add(size);
        }
        return sizes.ToArray();
    }

    /// <summary>
    /// A checkpoint named on the command line: a file, or a run folder holding checkpoint.scratch.
    /// A folder without one is named as a folder, not reported as "not found".
    /// </summary>
    public static string CheckpointFile(string path)
    {
        if (!Directory.Exists(path)) return path;
        string inside = Path.Combine(path, Models.Checkpoints.ModelCheckpoint.FileName);
        if (File.Exists(inside)) return inside;
        throw new UsageException($"{path} is a folder without a {Models.Checkpoints.ModelCheckpoint.FileName}; expected a checkpoint file written by train or compare");
    }

    /// <summary>
    /// An output file named by --out: refused when it names a folder, or a file that exists unless
    /// <paramref name="overwrite"/> (nothing a user made is replaced without --overwrite); its folder
    /// made when missing.
    /// </summary>
    public static string OutputFile(string path, string example, bool overwrite)
    {
        if (Directory.Exists(path))
            throw new UsageException($"--out {path} is a folder; expected the file to write, e.g. {Path.Combine(path, example)}");
        if (File.Exists(path) && !overwrite)
            throw new UsageException($"--out {path} already exists; pass --overwrite to replace it, or another --out");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        return path;
    }

    /// <summary>The model's input must match the data's images ("this model expects 28×28 images").</summary>
    public static void CheckImages(Models.Autoencoders.AutoencoderConfig config, Models.Data.ImageSet split, string source)
    {
        try
        {
            ImageSizes.Check(config, split, source);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>True when the user typed the option (not just its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// The line that states the validation split of early stopping, or null without --patience: how
    /// many of the training images are held out, chosen by which seed.
    /// </summary>
    public static string? ValidationNote(Models.Training.TrainOptions options, int trainCount) =>
        options.Patience <= 0 ? null : string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "early stopping after {0} epoch(s) without a better validation loss: {1} of the {2} training images held out for validation (--validation {3}, chosen by seed {4}); the test split is not watched",
            options.Patience, Models.Data.ValidationSplit.HeldOut(trainCount, options.ValidationFraction), trainCount, options.ValidationFraction, options.Seed);

    /// <summary>The --overwrite flag of a command that writes one file.</summary>
    public static Option<bool> OverwriteFile() => new("--overwrite") { Description = "Replace the --out file if it exists (without it, an existing file is refused)" };
}
