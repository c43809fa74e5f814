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
    public static Option<bool> Verbose() => new("--verbose")
    {
        Description = "On error, print the full exception and stack trace",
        Recursive = true,
    };

    /// <summary>On every command: the CPU kernels' thread count (results are bitwise the same for any count).</summary>
    public static Option<int?> Threads() => new("--threads")
    {
        Description = "CPU threads for the kernels (default: all cores)",
        Recursive = true,
        Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--threads must be at least 1"); } },
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "Where to compute: cpu, ilgpu-cpu (GPU kernels simulated on the CPU) or cuda",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<string?> Data() => new("--data")
    {
        Description = "Folder of MNIST IDX files (raw or .gz); default: the bundled data/mnist-sample",
    };

    /// <summary>Applies --threads before any work starts.</summary>
    public static void ApplyThreads(ParseResult parse)
    {
        if (parse.GetValue<int?>("--threads") is int n) CpuThreads.Count = n;
    }

    public static MnistDataset LoadData(string? folder) => MnistDataset.Load(folder ?? MnistDataset.DefaultDirectory());

    /// <summary>"400" or "512,256" → [400] or [512, 256]; "" or "none" → [] (no hidden layer).</summary>
    public static int[] ParseSizes(ArgumentResult result)
    {
        // "512,256" and "512 256" both work: an array option takes every token that follows it.
        string text = string.Join(",", result.Tokens.Select(t => t.Value));
        if (text.Trim() is "" or "none") return [];
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size <= 0)
            {
                result.AddError($"--hidden '{text}' must be a comma-separated list of positive layer sizes, e.g. 400 or 512,256");
                return [];
            }
            sizes.Add(size);
        }
        return sizes.ToArray();
    }

    /// <summary>True when the user typed the option (not just its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
