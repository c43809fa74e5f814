using System.Text;
using Scratch.Cli.Runs;

namespace Scratch.Cli.Report;

/// <summary>
/// Test digits placed at their 2-D codes, one colour per class, as inline SVG: shows whether
/// the model has sorted the digits into regions without ever seeing a label.
/// </summary>
public static class SvgScatter
{
    private const int Size = 420, Margin = 40;

    public static string Render(string title, LatentCodes codes)
    {
        int n = codes.Labels.Length;
        var (xlo, xhi) = Svg.Range(Enumerable.Range(0, n).Select(i => (double)codes.Codes[2 * i]));
        var (ylo, yhi) = Svg.Range(Enumerable.Range(0, n).Select(i => (double)codes.Codes[2 * i + 1]));
        double plot = Size - 2 * Margin;
        double X(double v) => Margin + (v - xlo) / (xhi - xlo) * plot;
        double Y(double v) => Margin + (yhi - v) / (yhi - ylo) * plot;

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Size + 60} {Size}\" width=\"{Size + 60}\" height=\"{Size}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append($"<text x=\"{Size / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">{Svg.Escape(title)}</text>");
        sb.Append($"<rect x=\"{Margin}\" y=\"{Margin}\" width=\"{plot}\" height=\"{plot}\" fill=\"none\" stroke=\"#999\"/>");
        foreach (var t in Svg.Ticks(xlo, xhi).Where(t => t >= xlo && t <= xhi))
            sb.Append($"<text x=\"{Svg.N(X(t))}\" y=\"{Size - Margin + 14}\" text-anchor=\"middle\">{Svg.Label(t)}</text>");
        foreach (var t in Svg.Ticks(ylo, yhi).Where(t => t >= ylo && t <= yhi))
            sb.Append($"<text x=\"{Margin - 4}\" y=\"{Svg.N(Y(t) + 4)}\" text-anchor=\"end\">{Svg.Label(t)}</text>");
        sb.Append($"<text x=\"{Margin + plot / 2}\" y=\"{Size - 8}\" text-anchor=\"middle\">z₁</text>");
        sb.Append($"<text x=\"12\" y=\"{Margin + plot / 2}\" text-anchor=\"middle\">z₂</text>");
        for (int i = 0; i < n; i++)
        {
            float x = codes.Codes[2 * i], y = codes.Codes[2 * i + 1];
            if (!float.IsFinite(x) || !float.IsFinite(y)) continue;
            sb.Append($"<circle cx=\"{Svg.N(X(x))}\" cy=\"{Svg.N(Y(y))}\" r=\"2\" fill=\"{Svg.Palette[codes.Labels[i] % 10]}\" fill-opacity=\"0.7\"/>");
        }
        for (int digit = 0; digit < 10; digit++)
        {
            double ly = Margin + 8 + 16 * digit;
            sb.Append($"<circle cx=\"{Size + 10}\" cy=\"{Svg.N(ly)}\" r=\"5\" fill=\"{Svg.Palette[digit]}\"/>");
            sb.Append($"<text x=\"{Size + 20}\" y=\"{Svg.N(ly + 4)}\">{digit}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
