using Scratch.Cli.Report;
using Scratch.Cli.Runs;

namespace Scratch.Cli.Tests;

public class ChartTests
{
    [TestCase(0.0, 1.0)]
    [TestCase(97.3, 431.9)]
    [TestCase(-2.5, 3.1)]
    [TestCase(1e-5, 3e-5)]
    public void TicksAreNiceAndCoverTheRange(double lo, double hi)
    {
        var ticks = Svg.Ticks(lo, hi);
        Assert.That(ticks, Has.Length.InRange(3, 12));
        double step = ticks[1] - ticks[0];
        Assert.That(ticks[0], Is.GreaterThanOrEqualTo(lo - 1e-12).And.LessThan(lo + step));
        Assert.That(ticks[^1], Is.LessThanOrEqualTo(hi + 1e-12).And.GreaterThan(hi - step));
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.That(new[] { 1.0, 2.0, 5.0 }.Any(m => Math.Abs(mantissa - m) < 1e-9), $"step {step}");
    }

    [Test]
    public void LineChartDrawsOnePolylinePerSeriesAndSkipsNonFiniteValues()
    {
        var svg = SvgLineChart.Render("loss", [("train", [3, 2, 1]), ("test", [3.5, double.NaN, 1.5, 1.2])]);
        Assert.That(svg, Does.StartWith("<svg").And.EndWith("</svg>"));
        // train: one line of 3 points; test: the NaN splits it into a lone point and a line of 2.
        Assert.That(CountOf(svg, "<polyline"), Is.EqualTo(2));
        Assert.That(CountOf(svg, "<circle"), Is.EqualTo(6));
        Assert.That(svg, Does.Not.Contain("NaN"));
    }

    [Test]
    public void LineChartOfOneEpochOrConstantValuesHasFiniteCoordinates()
    {
        var svg = SvgLineChart.Render("one", [("train", [5.0]), ("test", [5.0])]);
        Assert.That(svg, Does.Not.Contain("NaN").And.Not.Contain("Infinity"));
        Assert.That(CountOf(svg, "<circle"), Is.EqualTo(2));
    }

    [Test]
    public void ScatterHasOneDotPerCodeAndALegendOfTenClasses()
    {
        var codes = new LatentCodes([0, 0, 1, 1, -1, 2, float.NaN, 0], [0, 1, 9, 3]);
        var svg = SvgScatter.Render("codes", codes);
        Assert.That(CountOf(svg, "fill-opacity"), Is.EqualTo(3), "the NaN code is left out");
        Assert.That(CountOf(svg, "r=\"5\""), Is.EqualTo(10));
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
