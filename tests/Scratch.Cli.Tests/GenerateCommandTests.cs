using System.Text.RegularExpressions;

namespace Scratch.Cli.Tests;

public class GenerateCommandTests
{
    [Test]
    public void Quick_PrintsTheTableWithSanityRows_WritesReportAndGrids()
    {
        // The CI size of the experiment (about 30 s on 2 cores): every model, tiny, end to end.
        using var temp = new TempFolder();
        string cache = temp.File("cache"), output = temp.File("out");
        var result = CliRunner.Ok("generate", "--quick", "--out", output, "--cache", cache);
        foreach (var row in new[] { "(real train digits)", "(uniform noise)", "VAE (conv)", "VAE (MLP)", "DCGAN", "VAE-GAN" })
            Assert.That(result.Output, Does.Contain(row));
        Assert.That(result.Output, Does.Contain("precision ↑").And.Contain("recall ↑").And.Contain("FID ↓"));
        var noise = Regex.Match(result.Output, @"\(uniform noise\)\s+(\S+)\s+(\S+)\s+(\S+)");
        var real = Regex.Match(result.Output, @"\(real train digits\)\s+(\S+)\s+(\S+)\s+(\S+)");
        Assert.That(double.Parse(real.Groups[3].Value), Is.LessThan(double.Parse(noise.Groups[3].Value)), "FID: real digits closer than noise");
        Assert.That(double.Parse(real.Groups[2].Value), Is.GreaterThan(double.Parse(noise.Groups[2].Value)), "recall: real digits above noise");

        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.That(Regex.Matches(html, "src=\"data:image/png;base64,").Count, Is.EqualTo(6), "a sample grid per row");
        Assert.That(html, Does.Contain("DCGAN: losses").And.Contain("discriminator").And.Contain("generator"));
        foreach (var png in new[] { "dcgan.png", "vae-gan.png", "vae-conv.png", "vae-mlp.png", "uniform-noise.png", "real-train-digits.png" })
            Assert.That(File.Exists(Path.Combine(output, png)), Is.True, png);
        Assert.That(Directory.GetFiles(cache, "*.safetensors"), Has.Length.EqualTo(1), "the feature network is cached");

        CliRunner.Run("generate", "--quick", "--models", "dcgan", "--out", output, "--cache", cache)
            .AssertOneLineError(2, "already holds a run", "--overwrite");
        Assert.That(File.Exists(Path.Combine(output, "vae-gan.png")), Is.True, "a refused run leaves the earlier experiment untouched");
        var again = CliRunner.Ok("generate", "--quick", "--models", "dcgan", "--out", output, "--cache", cache, "--overwrite");
        Assert.That(again.Output, Does.Contain("(cached)").And.Not.Contain("VAE-GAN"));
        Assert.That(File.Exists(Path.Combine(output, "vae-gan.png")), Is.False, "--overwrite removes the earlier experiment's grids: the folder never mixes two runs");
        Assert.That(File.Exists(Path.Combine(output, "dcgan.png")), Is.True);
    }

    [Test]
    public void UnknownModel_IsOneLineAndExitCode2()
    {
        CliRunner.Run("generate", "--quick", "--models", "gan").AssertOneLineError(2, "--models", "gan", "dcgan");
    }

    [TestCase("--epochs", "0")]
    [TestCase("--epochs", "abc")]
    [TestCase("--vae-epochs", "1.5")]
    [TestCase("--vae-epochs", "100001")]
    [TestCase("--samples", "-3")]
    [TestCase("--samples", "NaN")]
    [TestCase("--seed", "-1")]
    [TestCase("--out", "")]
    [TestCase("--cache", "")]
    public void ABadValue_IsOneLineNamingTheOptionWithExitCode2(string option, string value) =>
        CliRunner.Run("generate", "--quick", option, value).AssertOneLineError(2, option);
}
