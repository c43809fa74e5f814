using System.Globalization;
using System.Text;
using Scratch.Cli.Pictures;
using Scratch.Experiments.AnomalyDetection;

namespace Scratch.Cli.Report;

/// <summary>
/// The HTML report of a one-class run: the AUROC table, the ROC curves of every score for each
/// normal class, and the pictures of the most and least anomalous digits of one class. Self-contained
/// like <see cref="HtmlReport"/>: inline SVG and base64 PNGs, no script.
/// </summary>
public static class AnomalyReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(string path, string title, string recipe, OneClassTable table, IReadOnlyList<FittedClass> fitted, IReadOnlyList<Picture> pictures)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        Models.Files.AtomicFile.WriteAllText(path, Render(title, recipe, table, fitted, pictures));
    }

    public static string Render(string title, string recipe, OneClassTable table, IReadOnlyList<FittedClass> fitted, IReadOnlyList<Picture> pictures)
    {
        var sb = new StringBuilder(HtmlReport.Head(title));
        sb.Append("<style>table.auroc td{text-align:right}table.auroc td:first-child{text-align:left}</style>\n");
        sb.Append($"<h1>{Svg.Escape(title)}</h1>\n");
        sb.Append($"<p>Made by Scratch on {DateTime.Now.ToString("yyyy-MM-dd HH:mm", C)}, {Environment.ProcessorCount} CPU cores, .NET {Environment.Version}. "
            + "The one-class protocol: for each digit class, each method is fitted to the training images of that class only; every test image is "
            + "then scored, the test digits of the class are the normal ones and the nine other classes the anomalies. AUROC is the probability "
            + "that a random anomaly scores higher than a random normal digit (ties count one half): 1 is perfect, 0.5 is chance.</p>\n");
        sb.Append($"<p>{Svg.Escape(recipe)}</p>\n");
        sb.Append(Table(table));
        sb.Append("<h2>ROC curves</h2>\n<div class=\"charts\">");
        var scores = fitted.SelectMany(f => f.Scores).ToList();
        foreach (int digit in table.Classes)
        {
            var curves = scores.Where(s => s.NormalClass == digit).Select(s => (s.ScoreName, (IReadOnlyList<RocPoint>)s.Roc, s.Auroc)).ToList();
            sb.Append(SvgRocChart.Render($"normal class {digit}", curves));
        }
        sb.Append("</div>\n");
        if (pictures.Count > 0)
        {
            sb.Append("<h2>The most and least anomalous digits of one class</h2>\n");
            foreach (var picture in pictures)
                sb.Append($"<figure><img alt=\"{Svg.Escape(picture.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(picture.Png)}\" style=\"zoom:2\">"
                    + $"<figcaption>{Svg.Escape(picture.Caption)}</figcaption></figure>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    public static string Table(OneClassTable table)
    {
        var sb = new StringBuilder("<table class=\"auroc\"><thead><tr><th>score</th>");
        foreach (int digit in table.Classes) sb.Append($"<th>{digit}</th>");
        sb.Append("<th>mean</th></tr></thead><tbody>\n");
        foreach (var name in table.ScoreNames)
        {
            sb.Append($"<tr><td>{Svg.Escape(name)}</td>");
            foreach (int digit in table.Classes) sb.Append($"<td>{table.Auroc(name, digit).ToString("F3", C)}</td>");
            sb.Append($"<td><b>{table.Mean(name).ToString("F3", C)}</b></td></tr>\n");
        }
        sb.Append("</tbody></table>\n");
        return sb.ToString();
    }
}
