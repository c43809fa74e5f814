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
        foreach (var row in new[] { "(real train images)", "(uniform noise)", "VAE (conv)", "VAE (MLP)", "DCGAN", "VAE-GAN" })
            Assert.That(result.Output, Does.Contain(row));
        Assert.That(result.Output, Does.Contain("precision ↑").And.Contain("recall ↑").And.Contain("FID ↓"));
        var noise = Regex.Match(result.Output, @"\(uniform noise\)\s+(\S+)\s+(\S+)\s+(\S+)");
        var real = Regex.Match(result.Output, @"\(real train images\)\s+(\S+)\s+(\S+)\s+(\S+)");
        Assert.That(double.Parse(real.Groups[3].Value), Is.LessThan(double.Parse(noise.Groups[3].Value)), "FID: real digits closer than noise");
        Assert.That(double.Parse(real.Groups[2].Value), Is.GreaterThan(double.Parse(noise.Groups[2].Value)), "recall: real digits above noise");

        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.That(Regex.Matches(html, "src=\"data:image/png;base64,").Count, Is.EqualTo(6), "a sample grid per row");
        Assert.That(html, Does.Contain("DCGAN: losses").And.Contain("discriminator").And.Contain("generator"));
        foreach (var png in new[] { "dcgan.png", "vae-gan.png", "vae-conv.png", "vae-mlp.png", "uniform-noise.png", "real-train-images.png" })
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
    public void Resume_ContinuesEachCheckpoint_ReusesAFinishedOne_RefusesAnotherRecipe()
    {
        // --quick size, one model per run: eight short runs (25–50 s in all on 2 cores under load, much of it the first run training the --quick feature network).
        using var temp = new TempFolder();
        string cache = temp.File("cache"), first = temp.File("first"), reused = temp.File("reused");
        string[] quick = ["generate", "--quick", "--models", "dcgan", "--cache", cache];
        CliRunner.Ok([.. quick, "--epochs", "1", "--out", first]);
        string checkpoint = Path.Combine(first, "dcgan.checkpoint.scratch");
        Assert.That(Scratch.Models.Gans.GanCheckpoint.EpochsDone(checkpoint), Is.EqualTo(1), "written after every epoch");

        CliRunner.Run([.. quick, "--epochs", "2", "--out", first]).AssertOneLineError(2, "already holds a run", $"--resume {first}");
        var resumed = CliRunner.Ok([.. quick, "--epochs", "2", "--resume", first]);
        Assert.That(resumed.Output, Does.Contain($"resuming {checkpoint} after epoch 1 of 2"));
        Assert.That(Scratch.Models.Gans.GanCheckpoint.EpochsDone(checkpoint), Is.EqualTo(2), "continued in its own folder");
        Assert.That(File.Exists(Path.Combine(first, "dcgan.png")), Is.True);

        // sample reads a GAN's checkpoint as well as a VAE's: its recipe rebuilds the networks; the same seed, the same PNG.
        string a = temp.File("a.png"), b = temp.File("b.png");
        Assert.That(CliRunner.Ok("sample", checkpoint, "--count", "16", "--out", a).Output, Does.Contain("wrote 16 samples"));
        CliRunner.Ok("sample", checkpoint, "--count", "16", "--out", b);
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)));
        Assert.That(MiniPng.CheckAndGetSize(File.ReadAllBytes(a)), Is.EqualTo((2 * (8 * 30 + 2), 2 * (2 * 30 + 2))), "two rows of eight 28-pixel images");
        Assert.That(File.ReadAllBytes(a), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(first, "dcgan.png"))), "its own grid, not a copy of the run's");

        var again = CliRunner.Ok([.. quick, "--epochs", "2", "--resume", first, "--out", reused]);
        Assert.That(again.Output, Does.Contain("reusing").And.Not.Contain("epoch 1:"), "nothing left to train");
        Assert.That(File.ReadAllBytes(Path.Combine(reused, "dcgan.checkpoint.scratch")), Is.EqualTo(File.ReadAllBytes(checkpoint)), "the reused run, copied into the new folder");

        // The VAEs' checkpoints are the autoencoders' own (train --resume reads them too).
        string[] mlp = ["generate", "--quick", "--models", "vae-mlp", "--cache", cache];
        string vaeFolder = temp.File("vae");
        CliRunner.Ok([.. mlp, "--out", vaeFolder]);
        Assert.That(File.Exists(Path.Combine(vaeFolder, "vae-mlp.checkpoint.scratch")), Is.True);
        var vaeResumed = CliRunner.Ok([.. mlp, "--vae-epochs", "2", "--resume", vaeFolder]);
        Assert.That(vaeResumed.Output, Does.Contain("after epoch 1 of 2").And.Contain("epoch 2:"));
        CliRunner.Run([.. mlp, "--vae-epochs", "2", "--seed", "3", "--resume", vaeFolder, "--out", temp.File("vae3")])
            .AssertOneLineError(1, "vae-mlp.checkpoint.scratch", "\"seed\":\"1\"");

        CliRunner.Run([.. quick, "--epochs", "2", "--seed", "2", "--resume", first, "--out", temp.File("other")])
            .AssertOneLineError(1, checkpoint, "recipe.seed");
        CliRunner.Run([.. quick, "--epochs", "1", "--resume", first, "--out", temp.File("fewer")])
            .AssertOneLineError(1, "has trained 2 epochs", "--epochs 2");
        CliRunner.Run([.. quick, "--resume", temp.File("nowhere")]).AssertOneLineError(2, "--resume", "no such folder");
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
    [TestCase("--resume", "")]
    public void ABadValue_IsOneLineNamingTheOptionWithExitCode2(string option, string value) =>
        CliRunner.Run("generate", "--quick", option, value).AssertOneLineError(2, option);
}
