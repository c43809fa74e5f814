using System.Globalization;
using System.Text;
using Scratch.Cli.Runs;
using Scratch.Models.Autoencoders;

namespace Scratch.Cli.Report;

/// <summary>
/// One self-contained HTML file for one or more trained models: the score table, loss curves
/// (train and test, then each loss term) as inline SVG, the pictures as base64 data URIs, and for
/// a 2-D code a scatter plot of the test digits. No script, no external file: it opens anywhere,
/// and can be mailed or archived as it is.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(string path, string title, IReadOnlyList<RunSummary> runs)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        Models.Files.AtomicFile.WriteAllText(path, Render(title, runs));
    }

    public static string Render(string title, IReadOnlyList<RunSummary> runs)
    {
        var sb = new StringBuilder();
        sb.Append(Head(title));
        sb.Append($"<h1>{Svg.Escape(title)}</h1>\n");
        sb.Append($"<p>Made by Scratch on {DateTime.Now.ToString("yyyy-MM-dd HH:mm", C)}, {Environment.ProcessorCount} CPU cores, .NET {Environment.Version}. "
            + "Scores are on the test split: RE is the mean squared error per pixel (lower is better), PSNR in dB and SSIM (higher is better). "
            + $"The noisy columns score each model as a denoiser: its reconstructions of test digits damaged by {Svg.Escape(Corruption.Benchmark.Describe())} (the same damage for every model), against the clean digits. "
            + "Each model's loss includes its own penalty (KL, sparsity, contraction): compare loss curves within a model, and models by the table's RE, PSNR and SSIM.</p>\n");
        sb.Append(Table(runs));
        if (runs.Count > 1 && runs.Any(r => r.History.Count > 0))
            sb.Append("<div class=\"charts\">")
                .Append(SvgLineChart.Render("Test loss per sample, all models", runs.Select(r => (r.Name, r.History.Select(h => h.TestLoss).ToArray())).ToList()))
                .Append(SvgLineChart.Render("Train loss per sample, all models", runs.Select(r => (r.Name, r.History.Select(h => h.TrainLoss).ToArray())).ToList()))
                .Append("</div>\n");
        foreach (var run in runs)
            sb.Append(Section(run));
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The document's start up to the body: title and the one style sheet every report shares.</summary>
    internal static string Head(string title) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            // A phone lays the page out at its own width, not a 980-pixel desktop's.
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{Svg.Escape(title)}</title>"
            + "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
            // Wide tables scroll inside themselves; pictures and charts shrink to the screen.
            + "table{border-collapse:collapse;margin:1em 0;display:block;max-width:100%;overflow-x:auto}"
            + "img,svg{max-width:100%;height:auto}"
            + "th,td{border:1px solid #ccc;padding:4px 10px;text-align:right}"
            + "th:first-child,td:first-child,td:nth-child(2){text-align:left}th{background:#f4f4f4}"
            + ".charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:1em 0}"
            + "img{image-rendering:pixelated;border:1px solid #ddd}figcaption{font-size:90%;color:#555}"
            + "code{background:#f4f4f4;padding:1px 4px}</style></head><body>\n";

    public static string Table(IReadOnlyList<RunSummary> runs)
    {
        var sb = new StringBuilder("<table class=\"scores\"><thead><tr><th>model</th><th>sizes</th><th>RE ↓</th><th>PSNR dB ↑</th><th>SSIM ↑</th>"
            + "<th>noisy: RE ↓</th><th>PSNR ↑</th><th>SSIM ↑</th><th>test loss</th><th>epochs</th><th>time s</th></tr></thead><tbody>\n");
        foreach (var r in runs)
            sb.Append($"<tr><td><a href=\"#{Anchor(r)}\">{Svg.Escape(r.Name)}</a></td><td>{Svg.Escape(r.Spec.Config.Describe())}</td>"
                + $"<td>{r.Scores.Re.ToString("F5", C)}</td><td>{r.Scores.Psnr.ToString("F2", C)}</td><td>{r.Scores.Ssim.ToString("F4", C)}</td>"
                + $"<td>{r.Denoised.Re.ToString("F5", C)}</td><td>{r.Denoised.Psnr.ToString("F2", C)}</td><td>{r.Denoised.Ssim.ToString("F4", C)}</td>"
                + $"<td>{r.TestLoss.ToString("F3", C)}</td><td>{r.History.Count}</td>"
                + $"<td>{(r.TrainingTime is { } t ? t.TotalSeconds.ToString("F1", C) : "–")}</td></tr>\n");
        sb.Append("</tbody></table>\n");
        return sb.ToString();
    }

    private static string Section(RunSummary run)
    {
        var sb = new StringBuilder();
        var o = run.Options;
        sb.Append($"<h2 id=\"{Anchor(run)}\">{Svg.Escape(run.Name)}</h2>\n");
        sb.Append($"<p>Model <code>{Svg.Escape(run.Spec.Kind)}</code>, layers {Svg.Escape(run.Spec.Config.Describe())}, "
            + $"{run.Spec.Config.Activation.ToString().ToLowerInvariant()} activation, {run.Spec.Config.Loss.ToString().ToLowerInvariant()} loss; "
            + $"Adam lr {o.LearningRate.ToString("G4", C)}, batch {o.BatchSize}, seed {o.Seed}"
            + (o.TrainLimit > 0 ? $", first {o.TrainLimit} training images" : "") + ".</p>\n");
        if (run.History.Count > 0)
        {
            sb.Append("<div class=\"charts\">");
            sb.Append(SvgLineChart.Render("Loss per sample",
                [("train", run.History.Select(h => h.TrainLoss).ToArray()), ("test", run.History.Select(h => h.TestLoss).ToArray())]));
            var terms = run.History[^1].TrainTerms.Select(t => t.Name).ToList();
            if (terms.Count > 1)
                foreach (var term in terms)
                    sb.Append(SvgLineChart.Render($"Term: {term}",
                        [("train", run.History.Select(h => Term(h.TrainTerms, term)).ToArray()), ("test", run.History.Select(h => Term(h.TestTerms, term)).ToArray())]));
            sb.Append("</div>\n");
        }
        foreach (var picture in run.Pictures)
            sb.Append($"<figure><img alt=\"{Svg.Escape(picture.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(picture.Png)}\">"
                + $"<figcaption>{Svg.Escape(picture.Caption)}</figcaption></figure>\n");
        if (run.Codes is { } codes)
            sb.Append($"<figure>{SvgScatter.Render($"{run.Name}: test digits at their 2-D codes", codes)}"
                + "<figcaption>Each dot is a test digit at its code, coloured by its label (the model never saw the labels).</figcaption></figure>\n");
        return sb.ToString();
    }

    private static double Term(IReadOnlyList<(string Name, double Value)> terms, string name)
    {
        foreach (var (n, v) in terms)
            if (n == name) return v;
        return double.NaN;
    }

    private static string Anchor(RunSummary run) => "run-" + new string(run.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
