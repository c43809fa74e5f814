using Scratch.Cli.Report;
using Scratch.Cli.Runs;

namespace Scratch.Cli.Tests;

public class ChartTests
{
    [TestCase(0.0, 1.0)]
    [TestCase(97.3, 431.9)]
    [TestCase(-2.5, 3.1)]
    [TestCase(1e-5, 3e-5)]
    [TestCase(0.0, 12.0)]
    [TestCase(84.1, 96.3)]
    [TestCase(0.0151, 0.0236)]
    public void TicksAreNiceAndCoverTheRange(double lo, double hi)
    {
        var ticks = Svg.Ticks(lo, hi);
        Assert.That(ticks, Has.Length.InRange(4, 12), "enough labels on every axis");
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

    [Test]
    public void TheLegendStandsBesideThePlotNotOnTheCurves()
    {
        var svg = SvgLineChart.Render("loss", [("a long model name", [9, 1, 5, 9]), ("b", [1, 9, 1, 9])]);
        double Max(string pattern) => System.Text.RegularExpressions.Regex.Matches(svg, pattern).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Max();
        double Min(string pattern) => System.Text.RegularExpressions.Regex.Matches(svg, pattern).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Min();
        double rightOfData = Max("<circle cx=\"([0-9.]+)\"");
        double frame = Max("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\"") + 62;
        Assert.That(Min("class=\"legend\" x1=\"([0-9.]+)\""), Is.GreaterThan(Math.Max(rightOfData, frame)));
    }

    [Test]
    public void PicturesAreWrittenAtTwiceThePixelSize()
    {
        using var temp = new TempFolder();
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--count", "8", "--out", temp.File("s.png"));
        var grid = Experiments.Imaging.ImageGrid.Tile(new float[8 * 784], 8, 28, 28, columns: 8);
        Assert.That(MiniPng.CheckAndGetSize(File.ReadAllBytes(temp.File("s.png"))), Is.EqualTo((2 * grid.Width, 2 * grid.Height)));
        var reconstructions = MiniPng.CheckAndGetSize(File.ReadAllBytes(Path.Combine(TinyRuns.Vae, "reconstructions.png")));
        Assert.That(reconstructions.Width % 2 == 0 && reconstructions.Width >= 2 * 8 * 28, Is.True, $"{reconstructions}");
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
