using System.Text;

namespace Scratch.Cli.Report;

/// <summary>One point of a <see cref="SvgBandChart"/> series: the line at <see cref="Mean"/>, the band from <see cref="Low"/> to <see cref="High"/>.</summary>
public readonly record struct BandPoint(double X, double Mean, double Low, double High);

/// <summary>
/// Curves over a numeric x (e.g. accuracy against the attack's ε) as inline SVG: one line with dots
/// per series through its means, over a pale band from its lows to its highs (the spread over
/// seeds), nice ticks on both axes, and the legend right of the plot like <see cref="SvgLineChart"/>'s.
/// </summary>
public static class SvgBandChart
{
    private const int Width = 420, Height = 280, Left = 52, Right = 96, Top = 30, Bottom = 40;

    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<BandPoint> Points)> series)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        var (xLo, xHi) = Svg.Range(all.Select(p => p.X));
        var (yLo, yHi) = Svg.Range(all.SelectMany(p => new[] { p.Low, p.High, p.Mean }));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(double v) => Left + (v - xLo) / (xHi - xLo) * plotW;
        double Y(double v) => Top + (yHi - v) / (yHi - yLo) * plotH;

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        sb.Append($"<text x=\"{Width / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{Svg.Escape(title)}</text>");
        sb.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Svg.N(plotW)}\" height=\"{Svg.N(plotH)}\" fill=\"none\" stroke=\"#999\"/>");
        foreach (var t in Svg.Ticks(yLo, yHi))
        {
            if (t < yLo || t > yHi) continue;
            sb.Append($"<line x1=\"{Left}\" x2=\"{Svg.N(Left + plotW)}\" y1=\"{Svg.N(Y(t))}\" y2=\"{Svg.N(Y(t))}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{Left - 4}\" y=\"{Svg.N(Y(t) + 4)}\" text-anchor=\"end\">{Svg.Label(t)}</text>");
        }
        foreach (var t in Svg.Ticks(xLo, xHi))
        {
            if (t < xLo || t > xHi) continue;
            sb.Append($"<text x=\"{Svg.N(X(t))}\" y=\"{Svg.N(Top + plotH + 14)}\" text-anchor=\"middle\">{Svg.Label(t)}</text>");
        }
        sb.Append($"<text x=\"{Svg.N(Left + plotW / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Svg.Escape(xLabel)}</text>");
        sb.Append($"<text transform=\"translate(14 {Svg.N(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{Svg.Escape(yLabel)}</text>");

        for (int s = 0; s < series.Count; s++)
        {
            string colour = Svg.Palette[s % Svg.Palette.Length];
            var points = series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Mean) && double.IsFinite(p.Low) && double.IsFinite(p.High)).ToList();
            if (points.Count > 1 && points.Any(p => p.High > p.Low))
            {
                var outline = points.Select(p => $"{Svg.N(X(p.X))},{Svg.N(Y(p.High))}").Concat(points.AsEnumerable().Reverse().Select(p => $"{Svg.N(X(p.X))},{Svg.N(Y(p.Low))}"));
                sb.Append($"<polygon class=\"band\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\" points=\"{string.Join(" ", outline)}\"/>");
            }
            if (points.Count > 1)
                sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => $"{Svg.N(X(p.X))},{Svg.N(Y(p.Mean))}"))}\"/>");
            foreach (var p in points)
                sb.Append($"<circle cx=\"{Svg.N(X(p.X))}\" cy=\"{Svg.N(Y(p.Mean))}\" r=\"2.5\" fill=\"{colour}\"><title>{Svg.Escape(series[s].Name)} at {p.X.ToString("G4", Svg.C)}: {p.Mean.ToString("G4", Svg.C)} ({p.Low.ToString("G4", Svg.C)} to {p.High.ToString("G4", Svg.C)})</title></circle>");
            double ly = Top + 12 + 14 * s;
            sb.Append($"<line class=\"legend\" x1=\"{Svg.N(Left + plotW + 8)}\" x2=\"{Svg.N(Left + plotW + 24)}\" y1=\"{Svg.N(ly)}\" y2=\"{Svg.N(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{Svg.N(Left + plotW + 28)}\" y=\"{Svg.N(ly + 4)}\">{Svg.Escape(series[s].Name)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
