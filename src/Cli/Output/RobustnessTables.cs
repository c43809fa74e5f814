using System.Globalization;
using System.Text;
using Scratch.Experiments.Robustness;
using Spectre.Console;

namespace Scratch.Cli.Output;

/// <summary>
/// The two tables of <c>scratch robustness</c>, each cell the mean ± sample standard deviation over
/// the seeds: the models' quality (RE, −ELBO, self-consistency, clean accuracy, training time), and
/// the probe's accuracy under attack at every ε. Drawn by Spectre.Console, and as Markdown for the
/// run folder's table.md (what the README's tables are pasted from).
/// </summary>
public static class RobustnessTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    // (header, column, format) of the quality table.
    private static readonly (string Header, string Column, string Format)[] Quality =
    [
        ("RE ↓", "re", "F5"), ("−ELBO ↓", "neg_elbo", "F1"), ("active units", "active_units", "F1"), ("self-cons. mse ↓", "sc_mse", "F3"), ("self-cons. R² ↑", "sc_r2", "F3"), ("R² active ↑", "sc_r2_active", "F3"), ("data chain R² ↑", "chain_r2_active", "F3"),
        ("clean acc ↑", "clean_acc", "F3"), ("train s", "train_s", "F0"),
    ];

    /// <summary>Every row's cells of the quality table: model, seeds, then <see cref="Quality"/>.</summary>
    public static (string[] Headers, List<string[]> Rows) QualityCells(RobustnessSummary summary)
    {
        string[] headers = ["model", "seeds", .. Quality.Select(q => q.Header)];
        var rows = summary.Models.Select(m => (string[])[m, summary.RunsOf(m).Count.ToString(C), .. Quality.Select(q => summary.Stat(m, q.Column).Format(q.Format))]).ToList();
        return (headers, rows);
    }

    /// <summary>Every row's cells of the attack table: model, then the accuracy at each ε &gt; 0 of each norm.</summary>
    public static (string[] Headers, List<string[]> Rows) AttackCells(RobustnessSummary summary)
    {
        var points = summary.Runs[0].Attacks.Where(a => a.Epsilon > 0).ToList();
        string[] headers = ["model", .. points.Select(p => $"{PgdSettings.Name(p.Norm)} {p.Epsilon.ToString("G4", C)}")];
        var rows = summary.Models.Select(m => (string[])[m, .. points.Select(p => summary.Stat(m, ModelMeasurement.AttackKey(p.Norm, p.Epsilon) + "_acc").Format("F3"))]).ToList();
        return (headers, rows);
    }

    public static Table Spectre(string title, (string[] Headers, List<string[]> Rows) cells)
    {
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
        for (int i = 0; i < cells.Headers.Length; i++)
            table.AddColumn(i == 0 ? new TableColumn(Markup.Escape(cells.Headers[i])) : new TableColumn(Markup.Escape(cells.Headers[i])).RightAligned());
        foreach (var row in cells.Rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }

    /// <summary>A GitHub Markdown table: the first column left-aligned, the others right-aligned.</summary>
    public static string Markdown((string[] Headers, List<string[]> Rows) cells)
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", cells.Headers)).Append(" |\n");
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", cells.Headers.Length - 1))).Append('\n');
        foreach (var row in cells.Rows) sb.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        return sb.ToString();
    }
}
