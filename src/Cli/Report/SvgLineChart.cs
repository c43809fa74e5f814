using System.Text;

namespace Scratch.Cli.Report;

/// <summary>
/// A line chart of values per epoch as inline SVG: one polyline (with dots) per series, axes with
/// nice ticks (at least four on y), and a legend to the right of the plot, where it never covers
/// a curve. Epochs run 1..n on x; non-finite values leave a gap.
/// </summary>
public static class SvgLineChart
{
    // Right leaves room for the legend beside the plot.
    private const int Width = 540, Height = 260, Left = 62, Right = 112, Top = 30, Bottom = 40;

    public static string Render(string title, IReadOnlyList<(string Name, double[] Values)> series, string yLabel = "loss per sample")
    {
        int epochs = series.Count == 0 ? 0 : series.Max(s => s.Values.Length);
        var (lo, hi) = Svg.Range(series.SelectMany(s => s.Values));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(int epoch) => Left + (epochs <= 1 ? plotW / 2 : (epoch - 1) * plotW / (epochs - 1));
        double Y(double v) => Top + (hi - v) / (hi - lo) * plotH;

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append($"<text x=\"{Width / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{Svg.Escape(title)}</text>");
        sb.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Svg.N(plotW)}\" height=\"{Svg.N(plotH)}\" fill=\"none\" stroke=\"#999\"/>");
        foreach (var t in Svg.Ticks(lo, hi))
        {
            if (t < lo || t > hi) continue;
            sb.Append($"<line x1=\"{Left}\" x2=\"{Svg.N(Left + plotW)}\" y1=\"{Svg.N(Y(t))}\" y2=\"{Svg.N(Y(t))}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{Left - 4}\" y=\"{Svg.N(Y(t) + 4)}\" text-anchor=\"end\">{Svg.Label(t)}</text>");
        }
        int every = Math.Max(1, (int)Math.Ceiling(epochs / 10.0));
        for (int e = 1; e <= epochs; e += every)
            sb.Append($"<text x=\"{Svg.N(X(e))}\" y=\"{Svg.N(Top + plotH + 14)}\" text-anchor=\"middle\">{e}</text>");
        sb.Append($"<text x=\"{Svg.N(Left + plotW / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\">epoch</text>");
        sb.Append($"<text transform=\"translate(14 {Svg.N(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{Svg.Escape(yLabel)}</text>");

        for (int s = 0; s < series.Count; s++)
        {
            string colour = Svg.Palette[s % Svg.Palette.Length];
            var values = series[s].Values;
            var segment = new List<string>();
            void Flush()
            {
                if (segment.Count > 1) sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", segment)}\"/>");
                segment.Clear();
            }
            for (int i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i])) { Flush(); continue; }
                segment.Add($"{Svg.N(X(i + 1))},{Svg.N(Y(values[i]))}");
                sb.Append($"<circle cx=\"{Svg.N(X(i + 1))}\" cy=\"{Svg.N(Y(values[i]))}\" r=\"2.5\" fill=\"{colour}\"><title>{Svg.Escape(series[s].Name)} epoch {i + 1}: {values[i].ToString("G6", Svg.C)}</title></circle>");
            }
            Flush();
            double ly = Top + 12 + 14 * s;
            sb.Append($"<line class=\"legend\" x1=\"{Svg.N(Left + plotW + 8)}\" x2=\"{Svg.N(Left + plotW + 24)}\" y1=\"{Svg.N(ly)}\" y2=\"{Svg.N(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{Svg.N(Left + plotW + 28)}\" y=\"{Svg.N(ly + 4)}\">{Svg.Escape(series[s].Name)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
