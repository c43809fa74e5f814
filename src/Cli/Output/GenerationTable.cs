using System.Globalization;
using System.Text;
using Scratch.Experiments.Generation;

namespace Scratch.Cli.Output;

/// <summary>The generation experiment's table as plain text, for the terminal and table.txt.</summary>
public static class GenerationTable
{
    /// <summary>The reference's table, plus density and coverage: model | precision ↑ | recall ↑ | FID ↓ | density | coverage | time.</summary>
    public static string Format(GenerationResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Format(c, "{0,-19} {1,11} {2,9} {3,9} {4,9} {5,9} {6,8}", "model", "precision ↑", "recall ↑", "FID ↓", "density", "coverage", "time s"));
        foreach (var r in result.Rows)
            sb.AppendLine(string.Format(c, "{0,-19} {1,11:F4} {2,9:F4} {3,9:F2} {4,9:F4} {5,9:F4} {6,8}",
                r.IsSanityCheck ? $"({r.Model})" : r.Model, r.Scores.Precision, r.Scores.Recall, r.Fid, r.Scores.Density, r.Scores.Coverage,
                r.IsSanityCheck ? "" : r.TrainingTime.TotalSeconds.ToString("F1", c)));
        return sb.ToString();
    }
}
