using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

public class TrainEvalSampleTests
{
    [Test]
    public void TrainWritesCheckpointHistoryAndPictures()
    {
        var folder = TinyRuns.Vae;
        foreach (var file in new[] { "checkpoint.scratch", "history.json", "history.csv", "reconstructions.png", "samples.png", "interpolation.png" })
            Assert.That(File.Exists(Path.Combine(folder, file)), Is.True, file);

        var loaded = ModelCheckpoint.Load(TinyRuns.Checkpoint(folder));
        Assert.That(loaded.EpochsDone, Is.EqualTo(2));
        Assert.That(loaded.History.Select(h => h.Epoch), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(loaded.Spec.Config.Describe(), Is.EqualTo("784-32-2"));
        Assert.That(loaded.OptimizerSteps, Is.EqualTo(2 * 4), "256 images in batches of 64, two epochs");

        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        Assert.That(history, Has.Count.EqualTo(2));
        Assert.That(history[1]!["testTerms"]!["kl"]!.GetValue<double>(), Is.GreaterThan(0));
        var csv = File.ReadAllLines(Path.Combine(folder, "history.csv"));
        Assert.That(csv[0], Does.StartWith("epoch,train_loss,test_loss,train_reconstruction,train_kl"));
        Assert.That(csv, Has.Length.EqualTo(3));
    }

    [Test]
    public void ReconstructionPictureHasTwoPairsOfSixteenDigits()
    {
        var (width, height) = MiniPng.CheckAndGetSize(File.ReadAllBytes(Path.Combine(TinyRuns.Vae, "reconstructions.png")));
        Assert.That((width, height), Is.EqualTo((2 * (16 * 30 + 2), 2 * (4 * 30 + 2))), "16 columns and 4 rows of 28-pixel digits with 2-pixel padding");
    }

    [Test]
    public void DenoisingRunDrawsNoisyCleanAndDenoisedRows()
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--model", "denoising", "--epochs", "1", "--out", temp.Path, "--mask", "0.5", .. TinyRuns.TinyRecipe]);
        var (width, height) = MiniPng.CheckAndGetSize(File.ReadAllBytes(temp.File("denoising.png")));
        Assert.That((width, height), Is.EqualTo((2 * (16 * 30 + 2), 2 * (3 * 30 + 2))), "at 2× scale");
        Assert.That(ModelCheckpoint.Load(temp.File("checkpoint.scratch")).Spec.MaskFraction, Is.EqualTo(0.5));
    }

    [Test]
    public void EvalPrintsTheScores()
    {
        var result = CliRunner.Ok("eval", TinyRuns.Checkpoint(TinyRuns.Vae), "--limit", "100");
        Assert.That(result.Output, Does.Contain("PSNR dB").And.Contain("SSIM").And.Contain("RE (MSE per pixel)").And.Contain("kl"));
        Assert.That(result.Output, Does.Contain("100 images"));
    }

    [Test]
    public void EvalOnTheTrainSplit()
    {
        var result = CliRunner.Ok("eval", TinyRuns.Checkpoint(TinyRuns.Ae), "--split", "train", "--limit", "50");
        Assert.That(result.Output, Does.Contain("train split (50 images)"));
    }

    [Test]
    public void SampleWritesAPngGridOfTheRequestedSize()
    {
        using var temp = new TempFolder();
        var png = temp.File("out/samples.png");
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--count", "12", "--out", png, "--seed", "7");
        var (width, height) = MiniPng.CheckAndGetSize(File.ReadAllBytes(png));
        Assert.That((width, height), Is.EqualTo((2 * (8 * 30 + 2), 2 * (2 * 30 + 2))), "12 samples: 8 per row, 2 rows");
    }

    [Test]
    public void SampleIsReproducibleForASeedAndDiffersAcrossSeeds()
    {
        using var temp = new TempFolder();
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--out", temp.File("a.png"), "--seed", "3");
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--out", temp.File("b.png"), "--seed", "3");
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--out", temp.File("c.png"), "--seed", "4");
        Assert.That(File.ReadAllBytes(temp.File("a.png")), Is.EqualTo(File.ReadAllBytes(temp.File("b.png"))));
        Assert.That(File.ReadAllBytes(temp.File("a.png")), Is.Not.EqualTo(File.ReadAllBytes(temp.File("c.png"))));
    }

    [Test]
    public void SampleFromANonVaeIsAOneLineError()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Run("sample", TinyRuns.Checkpoint(TinyRuns.Ae), "--out", temp.File("s.png"));
        result.AssertOneLineError(2, "'ae'", "VAE");
        Assert.That(File.Exists(temp.File("s.png")), Is.False);
    }

    [Test]
    public void ThreadsOptionSetsTheKernelThreadCount()
    {
        int before = Kernels.CpuThreads.Count;
        try
        {
            CliRunner.Ok("eval", TinyRuns.Checkpoint(TinyRuns.Ae), "--limit", "10", "--threads", "1");
            Assert.That(Kernels.CpuThreads.Count, Is.EqualTo(1));
        }
        finally
        {
            Kernels.CpuThreads.Count = before;
        }
    }

    [TestCase("16,8")]
    [TestCase("16 8")]
    public void HiddenSizesAcceptCommasOrSpaces(string sizes)
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--model", "ae", "--epochs", "0", "--out", temp.Path, "--train-limit", "64", "--test-limit", "32", "--hidden", .. sizes.Split(' '), "--latent", "3"]);
        var loaded = ModelCheckpoint.Load(temp.File("checkpoint.scratch"));
        Assert.That(loaded.Spec.Config.Describe(), Is.EqualTo("784-16-8-3"));
        Assert.That(loaded.EpochsDone, Is.EqualTo(0), "zero epochs still leaves a checkpoint of the initial model");
    }

    [Test]
    public void ProgressBarsRenderOnAnInteractiveConsole()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Ansi = Spectre.Console.AnsiSupport.Yes,
            Interactive = Spectre.Console.InteractionSupport.Yes,
        });
        console.Profile.Width = 140;
        var error = new StringWriter();
        int code = ScratchApp.Run(["train", "--model", "vae", "--epochs", "2", "--out", temp.Path, .. TinyRuns.TinyRecipe], new CliContext(console, output, error), output);
        Assert.That(code, Is.EqualTo(0), error.ToString());
        var text = output.ToString();
        Assert.That(text, Does.Contain("vae epoch 2/2").And.Contain("100%").And.Contain("test "));
        Assert.That(File.Exists(temp.File("checkpoint.scratch")), Is.True);
    }
}
