using System.Globalization;
using System.Net;

namespace Scratch.Cli.Report;

/// <summary>Small helpers shared by the SVG charts: number formatting, escaping, axis ticks, colours.</summary>
internal static class Svg
{
    public static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Ten distinguishable colours (matplotlib's tab10): one per series or digit class.</summary>
    public static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string N(double v) => v.ToString("0.##", C);

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// Evenly spaced "nice" tick values (steps of 1, 2 or 5 × 10ᵏ) inside [lo, hi]: about
    /// <paramref name="target"/> of them and never fewer than <paramref name="minimum"/> (a step that
    /// leaves only two labels on an axis is refined to the next nice step down).
    /// </summary>
    public static double[] Ticks(double lo, double hi, int target = 5, int minimum = 4)
    {
        if (!(hi > lo)) return [lo];
        double raw = (hi - lo) / target;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = TicksOf(lo, hi, step);
        for (int refine = 0; ticks.Length < minimum && refine < 6; refine++)
        {
            // 10 → 5 → 2 → 1 (× 10ᵏ): the next nice step down.
            double m = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
            step = Math.Abs(m - 5) < 1e-6 ? step * 0.4 : step * 0.5;
            ticks = TicksOf(lo, hi, step);
        }
        return ticks;
    }

    private static double[] TicksOf(double lo, double hi, double step)
    {
        var ticks = new List<double>();
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step)
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks.ToArray();
    }

    /// <summary>A tick label short enough for an axis: 0.00123 → "0.00123", 12345 → "1.23e+04".</summary>
    public static string Label(double v) =>
        v == 0 ? "0" : Math.Abs(v) is >= 1e-3 and < 1e4 ? v.ToString("G4", C) : v.ToString("0.##e+00", C);

    /// <summary>[lo, hi] of the finite values, widened a little so lines do not touch the frame.</summary>
    public static (double Lo, double Hi) Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (0, 1);
        double lo = finite.Min(), hi = finite.Max();
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= 0.5 * Math.Max(1e-6, Math.Abs(lo)); hi += 0.5 * Math.Max(1e-6, Math.Abs(hi)); }
        double pad = 0.05 * (hi - lo);
        return (lo - pad, hi + pad);
    }
}
