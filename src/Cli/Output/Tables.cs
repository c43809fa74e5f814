using System.Globalization;
using Scratch.Cli.Runs;
using Spectre.Console;

namespace Scratch.Cli.Output;

/// <summary>The tables the commands print, drawn by Spectre.Console.</summary>
public static class Tables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>One row per model: RE, PSNR, SSIM from clean inputs and from noisy ones (against the clean digits), test loss, training time.</summary>
    public static Table Scores(IEnumerable<RunSummary> runs, string title)
    {
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded)
            .AddColumn("model").AddColumn(new TableColumn("sizes"))
            .AddColumn(new TableColumn("RE ↓").RightAligned()).AddColumn(new TableColumn("PSNR dB ↑").RightAligned())
            .AddColumn(new TableColumn("SSIM ↑").RightAligned())
            .AddColumn(new TableColumn("noisy: RE ↓").RightAligned()).AddColumn(new TableColumn("PSNR ↑").RightAligned()).AddColumn(new TableColumn("SSIM ↑").RightAligned())
            .AddColumn(new TableColumn("test loss").RightAligned())
            .AddColumn(new TableColumn("epochs").RightAligned()).AddColumn(new TableColumn("time s").RightAligned());
        foreach (var r in runs)
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Spec.Config.Describe()), r.Scores.Re.ToString("F5", C), r.Scores.Psnr.ToString("F2", C),
                r.Scores.Ssim.ToString("F4", C), r.Denoised.Re.ToString("F5", C), r.Denoised.Psnr.ToString("F2", C), r.Denoised.Ssim.ToString("F4", C),
                r.TestLoss.ToString("F3", C), r.History.Count.ToString(C),
                r.TrainingTime is { } t ? t.TotalSeconds.ToString("F1", C) : "–");
        return table;
    }
}
