using System.Globalization;
using System.Text;
using Scratch.Cli.Output;
using Scratch.Experiments.Robustness;

namespace Scratch.Cli.Report;

/// <summary>
/// The HTML report of <c>scratch robustness</c>: what each measure is, the two tables (mean ± sd
/// over seeds), the robustness curves (accuracy against ε, one line per model through its mean over
/// seeds, the band its range), and every model and seed's row. Self-contained like <see cref="HtmlReport"/>.
/// </summary>
public static class RobustnessReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(string path, string title, string recipe, string command, RobustnessSummary summary, TimeSpan elapsed)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        Models.Files.AtomicFile.WriteAllText(path, Render(title, recipe, command, summary, elapsed));
    }

    public static string Render(string title, string recipe, string command, RobustnessSummary summary, TimeSpan elapsed)
    {
        var sb = new StringBuilder(HtmlReport.Head(title));
        sb.Append($"<h1>{Svg.Escape(title)}</h1>\n");
        sb.Append($"<p>Made by Scratch on {DateTime.Now.ToString("yyyy-MM-dd HH:mm", C)}, {Environment.ProcessorCount} CPU cores, .NET {Environment.Version}, "
            + $"in {elapsed.TotalSeconds.ToString("F0", C)} s, by <code>{Svg.Escape(command)}</code>.</p>\n");
        sb.Append($"<p>{Svg.Escape(recipe)}</p>\n");
        sb.Append("<p>The measures of the AVAE paper (Cemgil et al., NeurIPS 2020), as Scratch builds them — the paper's own definitions of the attack, "
            + "its radii and its classifier could not be read, so these are Scratch's choices. <b>RE</b>: mean squared error per pixel of the test images' "
            + "reconstructions from their codes μ(x). <b>−ELBO</b>: the model's data term for one z ~ q(z|x), summed over pixels (mse: the squared error of the sigmoid outputs, "
            + "the authors' Gaussian of variance 0.5 without its constant; bce: the binary cross-entropy), plus KL(q(z|x) ‖ N(0, I)), per test image. "
            + "<b>Active units</b>: code dimensions whose posterior mean varies over the test images by more than 0.01 (Burda et al. 2016). "
            + "<b>Self-consistency</b>: for z ~ N(0, I) and x the decoder's mean image of z, mean ‖μ(x) − z‖² per latent dimension (mse) and the fraction of the variance of z "
            + "that μ(x) recovers (R²); <b>R² active</b> is that fraction over the active units only (an inactive unit's z is ignored by the decoder, "
            + "so no encoder can recover it), and <b>data chain R²</b> the same on the chain the AVAE is trained along: z ~ q(z|x) of a test image, decoded, re-encoded. "
            + "<b>Accuracy</b>: a multinomial logistic regression trained on the clean codes μ(x) of the training images, scored on the test images "
            + "(clean) and on the codes of test images attacked by PGD on the encoder: maximise ‖μ(x + δ) − μ(x)‖² over δ in the ε-ball (L∞: sign steps; L2: normalised "
            + "gradient steps), x + δ kept in [0, 1], from a random start. The attack never sees the labels or the classifier. <b>avae-post</b> is the VAE of the same seed "
            + "post-processed: its encoder trained for self-consistency on the decoder's own samples, no training image; its time is on top of the VAE's.</p>\n");
        sb.Append("<h2>Quality</h2>\n").Append(Html(RobustnessTables.QualityCells(summary)));
        sb.Append("<h2>Accuracy under attack</h2>\n").Append(Html(RobustnessTables.AttackCells(summary)));
        sb.Append("<h2>Robustness curves</h2>\n<div class=\"charts\">").Append(string.Concat(Charts(summary))).Append("</div>\n");
        sb.Append("<p>Each line is a model's accuracy averaged over its seeds; the band spans the lowest and highest seed.</p>\n");
        sb.Append("<h2>Every model and seed</h2>\n").Append(RunsTable(summary));
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The curves as one standalone SVG file (the charts side by side): what the README shows.</summary>
    public static string CurvesSvg(RobustnessSummary summary)
    {
        var charts = Charts(summary);
        const int width = 420, height = 280;
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width * Math.Max(1, charts.Count)} {height}\" width=\"{width * Math.Max(1, charts.Count)}\" height=\"{height}\">");
        for (int i = 0; i < charts.Count; i++)
            sb.Append($"<g transform=\"translate({width * i} 0)\">").Append(charts[i]).Append("</g>");
        return sb.Append("</svg>\n").ToString();
    }

    // One chart per norm that has a curve.
    private static List<string> Charts(RobustnessSummary summary)
    {
        var charts = new List<string>();
        foreach (var norm in new[] { AttackNorm.LInf, AttackNorm.L2 })
        {
            if (!summary.Runs[0].Attacks.Any(a => a.Norm == norm)) continue;
            var series = summary.Models.Select(m => (m, (IReadOnlyList<BandPoint>)summary.Curve(m, norm)
                .Select(p => new BandPoint(p.Epsilon, p.Accuracy.Mean, p.Accuracy.Min, p.Accuracy.Max)).ToList())).ToList();
            charts.Add(SvgBandChart.Render($"{PgdSettings.Name(norm)} attack on the encoder", $"ε ({PgdSettings.Name(norm)})", "probe accuracy", series));
        }
        return charts;
    }

    private static string Html((string[] Headers, List<string[]> Rows) cells)
    {
        var sb = new StringBuilder("<table><thead><tr>");
        foreach (var h in cells.Headers) sb.Append($"<th>{Svg.Escape(h)}</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var row in cells.Rows)
            sb.Append("<tr>").Append(string.Concat(row.Select(v => $"<td>{Svg.Escape(v)}</td>"))).Append("</tr>\n");
        return sb.Append("</tbody></table>\n").ToString();
    }

    private static string RunsTable(RobustnessSummary summary)
    {
        var points = summary.Runs[0].Attacks.Where(a => a.Epsilon > 0).ToList();
        var headers = new List<string> { "model", "seed", "RE", "−ELBO", "active units", "self-cons. mse", "R²", "R² active", "data chain R²", "clean acc" };
        headers.AddRange(points.Select(p => $"{PgdSettings.Name(p.Norm)} {p.Epsilon.ToString("G4", C)}: acc / shift"));
        headers.AddRange(["train s", "measure s"]);
        var rows = summary.Runs.Select(r => (string[])[r.Model, r.Seed.ToString(C), r.ReconstructionError.ToString("F5", C), r.NegativeElbo.ToString("F2", C), r.ActiveUnits.ToString(C),
            r.Consistency.MeanSquaredError.ToString("F4", C), r.Consistency.ExplainedVariance.ToString("F3", C),
            r.Consistency.ActiveExplainedVariance.ToString("F3", C), r.ChainConsistency.ToString("F3", C), r.CleanAccuracy.ToString("F4", C),
            .. points.Select(p => r.Attacks.First(a => a.Norm == p.Norm && a.Epsilon == p.Epsilon)).Select(a => $"{a.Accuracy.ToString("F3", C)} / {a.RelativeShift.ToString("P0", C)}"),
            r.TrainingTime.TotalSeconds.ToString("F1", C), r.MeasuringTime.TotalSeconds.ToString("F1", C)]).ToList();
        return Html((headers.ToArray(), rows)) + "<p>shift: the attack's mean ‖μ(x + δ) − μ(x)‖² as a share of the clean test codes' total variance.</p>\n";
    }
}
