namespace Scratch.Cli.Tests;

/// <summary>Help, argument mistakes and runtime failures at the command line: one line, non-zero exit.</summary>
public class CommandLineTests
{
    [TestCase]
    [TestCase("train")]
    [TestCase("eval")]
    [TestCase("sample")]
    [TestCase("compare")]
    [TestCase("report")]
    public void HelpWorksOnEveryCommand(params string[] command)
    {
        var result = CliRunner.Run([.. command, "--help"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("Usage:").And.Contain("--help"));
        Assert.That(result.Error, Is.Empty);
    }

    [Test]
    public void TrainHelpListsTheVariantOptions()
    {
        var help = CliRunner.Run("train", "--help").Output;
        foreach (var option in new[] { "--model", "--hidden", "--latent", "--epochs", "--batch", "--lr", "--seed", "--threads", "--device", "--data", "--out", "--resume", "--from", "--beta", "--warmup", "--rho", "--sigma", "--mask", "--lambda" })
            Assert.That(help, Does.Contain(option));
    }

    [TestCase(new[] { "train", "--epochs", "many" }, "many")]
    [TestCase(new[] { "train", "--model", "gan" }, "gan")]
    [TestCase(new[] { "train", "--hidden", "400,x" }, "--hidden")]
    [TestCase(new[] { "train", "--no-such-option" }, "--no-such-option")]
    [TestCase(new[] { "eval" }, "Required argument missing")]
    [TestCase(new[] { "eval", "c.scratch", "--split", "validation" }, "validation")]
    [TestCase(new[] { "compare", "--models", "ae,gan" }, "gan")]
    [TestCase(new[] { "sample", "c.scratch", "--count", "0" }, "--count")]
    [TestCase(new[] { "eval", "c.scratch", "--threads", "0" }, "--threads")]
    [TestCase(new[] { "fly" }, "fly")]
    [TestCase(new string[0], "command")]
    public void BadArgumentsGiveOneLineAndExitCode2(string[] args, string mentions) =>
        CliRunner.Run(args).AssertOneLineError(2, mentions);

    [Test]
    public void InvalidRecipeValuesAreOneLine() =>
        CliRunner.Run(["train", "--lr", "-1", "--out", Path.Combine(TinyRuns.Folder, "never"), .. TinyRuns.TinyRecipe]).AssertOneLineError(2, "--lr", "-1");

    [Test]
    public void MissingDataFolderIsOneLine()
    {
        using var temp = new TempFolder();
        var missing = temp.File("no-mnist-here");
        // Bad input, like every data mistake: exit code 2, as a usage error.
        CliRunner.Run(["train", "--data", missing, "--out", temp.File("run"), .. TinyRuns.TinyRecipe]).AssertOneLineError(2, missing);
        CliRunner.Run("eval", TinyRuns.Checkpoint(TinyRuns.Ae), "--data", missing).AssertOneLineError(2, missing);
    }

    [Test]
    public void MalformedIdxFileIsOneLineNamingTheFile()
    {
        using var temp = new TempFolder();
        var source = Models.Data.DataSource.SampleDirectory();
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, temp.File(Path.GetFileName(file)));
        var images = Directory.GetFiles(temp.Path, "train-images*").Single();
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0]); // raw bytes, not gzip, and far too short
        var broken = temp.File("train-images-idx3-ubyte");
        File.Move(images, broken, overwrite: true);
        CliRunner.Run(["train", "--data", temp.Path, "--out", temp.File("run"), .. TinyRuns.TinyRecipe]).AssertOneLineError(2, broken);
    }

    [Test]
    public void AnUnavailableDeviceIsOneLine()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Run(["train", "--device", "cuda", "--epochs", "1", "--out", temp.File("run"), .. TinyRuns.TinyRecipe]);
        // Without a GPU the engine refuses the device; with one, this tiny run simply succeeds.
        if (result.ExitCode != 0) result.AssertOneLineError(1, "cuda");
        else Assert.That(File.Exists(temp.File("run/checkpoint.scratch")), Is.True);
    }

    [Test]
    public void AnUnknownDeviceIsOneLine() =>
        CliRunner.Run("eval", TinyRuns.Checkpoint(TinyRuns.Ae), "--device", "tpu").AssertOneLineError(2, "--device", "tpu");

    [Test]
    public void DivergingTrainingIsOneLine()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Run(["train", "--model", "ae", "--loss", "mse", "--lr", "1e30", "--epochs", "2", "--out", temp.File("run"), .. TinyRuns.TinyRecipe]);
        result.AssertOneLineError(1, "diverged");
    }
}
