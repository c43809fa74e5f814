using System.Text;
using Scratch.Experiments.AnomalyDetection;

namespace Scratch.Cli.Report;

/// <summary>
/// ROC curves as inline SVG: false-positive rate on x, true-positive rate on y, both 0..1, the
/// diagonal of chance dashed, one line per score with its AUROC in the legend.
/// </summary>
public static class SvgRocChart
{
    private const int Size = 300, Left = 44, Right = 10, Top = 28, Bottom = 38;

    // Points closer than this (in rate units) to the last drawn one are skipped: a curve over
    // 2,000 test digits has ~2,000 points, far more than 240 pixels can show.
    private const double Resolution = 0.002;

    public static string Render(string title, IReadOnlyList<(string Name, IReadOnlyList<RocPoint> Curve, double Auroc)> curves)
    {
        double plot = Size - Left - Right, plotH = Size - Top - Bottom;
        double X(double fpr) => Left + fpr * plot;
        double Y(double tpr) => Top + (1 - tpr) * plotH;
        var sb = new StringBuilder();
        int height = Size + 14 * curves.Count;
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Size} {height}\" width=\"{Size}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append($"<text x=\"{Size / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{Svg.Escape(title)}</text>");
        sb.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Svg.N(plot)}\" height=\"{Svg.N(plotH)}\" fill=\"none\" stroke=\"#999\"/>");
        sb.Append($"<line x1=\"{Svg.N(X(0))}\" y1=\"{Svg.N(Y(0))}\" x2=\"{Svg.N(X(1))}\" y2=\"{Svg.N(Y(1))}\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>");
        foreach (var t in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            sb.Append($"<text x=\"{Svg.N(X(t))}\" y=\"{Svg.N(Top + plotH + 13)}\" text-anchor=\"middle\">{Svg.Label(t)}</text>");
            sb.Append($"<text x=\"{Left - 4}\" y=\"{Svg.N(Y(t) + 4)}\" text-anchor=\"end\">{Svg.Label(t)}</text>");
        }
        sb.Append($"<text x=\"{Svg.N(Left + plot / 2)}\" y=\"{Svg.N(Top + plotH + 28)}\" text-anchor=\"middle\">false-positive rate</text>");
        sb.Append($"<text transform=\"translate(11 {Svg.N(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">true-positive rate</text>");
        for (int s = 0; s < curves.Count; s++)
        {
            string colour = Svg.Palette[s % Svg.Palette.Length];
            sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(" ", Thin(curves[s].Curve).Select(p => $"{Svg.N(X(p.FalsePositiveRate))},{Svg.N(Y(p.TruePositiveRate))}"))}\"/>");
            double ly = Size + 14 * s - 4;
            sb.Append($"<line x1=\"{Left}\" x2=\"{Left + 16}\" y1=\"{Svg.N(ly)}\" y2=\"{Svg.N(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{Left + 20}\" y=\"{Svg.N(ly + 4)}\">{Svg.Escape(curves[s].Name)}: AUROC {curves[s].Auroc.ToString("F4", Svg.C)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// The curve with fewer points, the same picture: the inner points of a vertical or horizontal
    /// run are dropped (the line passes through them anyway), then points closer than the
    /// resolution to the last kept one. The ends are always kept.
    /// </summary>
    public static List<RocPoint> Thin(IReadOnlyList<RocPoint> curve)
    {
        var kept = new List<RocPoint>();
        for (int i = 0; i < curve.Count; i++)
        {
            if (i == 0 || i == curve.Count - 1) { kept.Add(curve[i]); continue; }
            RocPoint before = curve[i - 1], point = curve[i], after = curve[i + 1];
            bool insideRun = (before.FalsePositiveRate == point.FalsePositiveRate && point.FalsePositiveRate == after.FalsePositiveRate)
                || (before.TruePositiveRate == point.TruePositiveRate && point.TruePositiveRate == after.TruePositiveRate);
            double moved = Math.Abs(point.FalsePositiveRate - kept[^1].FalsePositiveRate) + Math.Abs(point.TruePositiveRate - kept[^1].TruePositiveRate);
            if (!insideRun && moved >= Resolution) kept.Add(point);
        }
        return kept;
    }
}
