using System.Text.RegularExpressions;
using Scratch.Cli.Report;

namespace Scratch.Cli.Tests;

/// <summary>
/// Every report (train/compare, anomaly, generate) starts with the one shared head: it must tell a
/// phone to lay the page out at the phone's width, and keep wide tables and pictures inside the screen.
/// </summary>
public class ReportLayoutTests
{
    [Test]
    public void TheSharedHead_HasAViewport_TablesScroll_PicturesShrink()
    {
        var head = HtmlReport.Head("t");
        Assert.That(head, Does.Contain("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        Assert.That(Regex.IsMatch(head, @"table\{[^}]*overflow-x:auto"), Is.True, "a wide table scrolls inside itself");
        Assert.That(Regex.IsMatch(head, @"img,svg\{max-width:100%;height:auto\}"), Is.True, "pictures and charts shrink to the screen");
    }

    [Test]
    public void EveryChart_HasAViewBox_SoItCanShrink()
    {
        var chart = SvgLineChart.Render("c", [("a", new double[] { 1, 2, 3 })], "loss");
        Assert.That(chart, Does.Match("<svg [^>]*viewBox=\"0 0 \\d+ \\d+\""));
    }
}
