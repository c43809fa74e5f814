using System.Text.RegularExpressions;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

public class ReportAndCompareTests
{
    [Test]
    public void ReportOfARunIsOneSelfContainedHtmlFile()
    {
        using var temp = new TempFolder();
        var file = temp.File("r/report.html");
        var result = CliRunner.Ok("report", TinyRuns.Vae, "--out", file, "--title", "Tiny <VAE>");
        Assert.That(result.Output, Does.Contain("SSIM"));
        var html = File.ReadAllText(file);
        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(html, Does.Contain("<title>Tiny &lt;VAE&gt;</title>"), "text is escaped");
        Assert.That(html, Does.Contain("<table class=\"scores\">").And.Contain("PSNR dB"));
        Assert.That(Regex.Matches(html, "src=\"data:image/png;base64,").Count, Is.EqualTo(3), "reconstructions, samples, interpolation");
        Assert.That(html, Does.Contain("Term: kl").And.Contain("Term: reconstruction"), "one chart per loss term");
        Assert.That(html, Does.Contain("2-D codes"), "a 2-D latent gets its scatter plot");
        Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("<script"), "nothing external, no script");
    }

    [Test]
    public void ReportOfAFolderOfRunsHasOneRowPerRun()
    {
        _ = TinyRuns.Vae;
        _ = TinyRuns.Ae;
        using var temp = new TempFolder();
        var file = temp.File("family.html");
        CliRunner.Ok("report", TinyRuns.Folder, "--out", file);
        var html = File.ReadAllText(file);
        var table = html[html.IndexOf("<table", StringComparison.Ordinal)..html.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.That(Regex.Matches(table, "<tr><td>").Count, Is.EqualTo(2));
        Assert.That(table, Does.Contain(">ae<").And.Contain(">vae<"));
    }

    [Test]
    public void ReportOfAnEmptyFolderIsOneLine()
    {
        using var temp = new TempFolder();
        CliRunner.Run("report", temp.Path).AssertOneLineError(1, "checkpoint.scratch");
    }

    [Test]
    public void CompareTrainsTheChosenModelsAndWritesTableCheckpointsPicturesAndReport()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Ok(["compare", "--models", "ae,denoising", "vae", "--epochs", "1", "--out", temp.Path, .. TinyRuns.TinyRecipe]);
        foreach (var kind in new[] { "ae", "denoising", "vae" })
        {
            Assert.That(result.Output, Does.Contain($"│ {kind}"), "a table row per model");
            var loaded = ModelCheckpoint.Load(Path.Combine(temp.Path, kind, "checkpoint.scratch"));
            Assert.That(loaded.Spec.Kind, Is.EqualTo(kind));
            Assert.That(loaded.EpochsDone, Is.EqualTo(1));
            MiniPng.CheckAndGetSize(File.ReadAllBytes(Path.Combine(temp.Path, kind, "reconstructions.png")));
        }
        Assert.That(File.Exists(Path.Combine(temp.Path, "denoising", "denoising.png")), Is.True);
        Assert.That(File.Exists(Path.Combine(temp.Path, "vae", "samples.png")), Is.True);
        Assert.That(result.Output, Does.Contain("total time"));
        var html = File.ReadAllText(Path.Combine(temp.Path, "report.html"));
        Assert.That(Regex.Matches(html, "<tr><td>").Count, Is.EqualTo(3));
    }
}
