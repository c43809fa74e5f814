using System.Globalization;
using System.Text;
using Scratch.Models.Gans;
using Scratch.Experiments.Generation;
using Scratch.Experiments.Imaging;

namespace Scratch.Cli.Report;

/// <summary>
/// The HTML report of <c>scratch generate</c>: the table (precision, recall, FID, density,
/// coverage), the loss curves of each model (discriminator and generator for the GANs, per step),
/// and a grid of samples per row, sanity rows included. Self-contained like <see cref="HtmlReport"/>.
/// </summary>
public static class GenerationReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The first 64 images of a row as an 8×8 grid, grey or RGB as the images are.</summary>
    public static Image8 Grid(GenerationRow row, Models.Data.ImageShape image)
    {
        int count = Math.Min(64, row.Samples.Length / image.Pixels);
        return ImageGrid.Tile(row.Samples.AsSpan(0, count * image.Pixels), count, image.Height, image.Width, columns: 8, channels: image.Channels);
    }

    public static void Write(string path, string title, string command, GenerationResult result)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        Models.Files.AtomicFile.WriteAllText(path, Render(title, command, result));
    }

    public static string Render(string title, string command, GenerationResult result)
    {
        var sb = new StringBuilder();
        sb.Append(HtmlReport.Head(title));
        sb.Append("<style>td:nth-child(2){text-align:right}tr.sanity{color:#777}figure{display:inline-block}</style>\n");
        sb.Append($"<h1>{Svg.Escape(title)}</h1>\n");
        var net = result.FeatureNetwork;
        sb.Append($"<p>Made by Scratch on {DateTime.Now.ToString("yyyy-MM-dd HH:mm", C)}, {Environment.ProcessorCount} CPU cores, in "
            + $"{result.Elapsed.TotalSeconds.ToString("F0", C)} s, by <code>{Svg.Escape(command)}</code>. Each model's {result.SampleCount} samples are compared with "
            + $"{result.SampleCount} real test images in the feature space of a classifier trained by Scratch on the data's labels "
            + $"(<code>{Svg.Escape(Path.GetFileName(net.Path))}</code>, test accuracy {(100 * net.TestAccuracy).ToString("F2", C)}%). "
            + "Precision: the share of samples inside the real images' k-NN manifold (k = 3; realism). Recall: the share of real images inside the samples' manifold "
            + "(coverage of the data; mode collapse lowers it). FID: Fréchet distance of Gaussians fitted to the features (lower is better). "
            + "Density and coverage (Naeem et al. 2020, k = 5 as in their paper; two samples of one distribution score about 1 and 0.97) are the outlier-robust versions of precision and recall. The rows in brackets are sanity checks: "
            + "real training images (the floor of FID, precision and recall near 1) and uniform noise.</p>\n");
        sb.Append("<table><tr><th>model</th><th>precision ↑</th><th>recall ↑</th><th>FID ↓</th><th>density</th><th>coverage</th><th>training s</th></tr>\n");
        foreach (var r in result.Rows)
            sb.Append($"<tr{(r.IsSanityCheck ? " class=\"sanity\"" : "")}><td>{Svg.Escape(r.IsSanityCheck ? $"({r.Model})" : r.Model)}</td>"
                + $"<td>{r.Scores.Precision.ToString("F4", C)}</td><td>{r.Scores.Recall.ToString("F4", C)}</td><td>{r.Fid.ToString("F2", C)}</td>"
                + $"<td>{r.Scores.Density.ToString("F4", C)}</td><td>{r.Scores.Coverage.ToString("F4", C)}</td>"
                + $"<td>{(r.IsSanityCheck ? "" : r.TrainingTime.TotalSeconds.ToString("F1", C))}</td></tr>\n");
        sb.Append("</table>\n");

        foreach (var r in result.Rows)
        {
            sb.Append($"<h2>{Svg.Escape(r.Model)}</h2>\n");
            if (r.LossCurves.Count > 0)
                sb.Append("<div class=\"charts\">")
                  .Append(SvgLineChart.Render($"{r.Model}: losses", Smoothed(r.LossCurves), "loss"))
                  .Append("</div>\n");
            var png = Convert.ToBase64String(PngEncoder.Encode(Grid(r, result.Image)));
            sb.Append($"<figure><img src=\"data:image/png;base64,{png}\" width=\"{2 * 8 * 30}\" alt=\"samples of {Svg.Escape(r.Model)}\">"
                + $"<figcaption>{Svg.Escape(r.Model)}: the first 64 of its {result.SampleCount} images</figcaption></figure>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    // Per-step GAN losses are noisy: a moving mean over ~1/50 of the run keeps the trend readable.
    private static IReadOnlyList<(string Name, double[] Values)> Smoothed(IReadOnlyList<(string Name, double[] Values)> curves) =>
        curves.Select(c =>
        {
            int window = Math.Max(1, c.Values.Length / 50);
            if (window == 1) return c;
            var smooth = new double[c.Values.Length - window + 1];
            double sum = c.Values.Take(window).Sum();
            for (int i = 0; i < smooth.Length; i++)
            {
                smooth[i] = sum / window;
                if (i + window < c.Values.Length) sum += c.Values[i + window] - c.Values[i];
            }
            return (c.Name, smooth);
        }).ToList();
}
