namespace Scratch.Cli.Tests;

/// <summary>The command line as .NET users expect it: unknown options named, dotnet-style aliases, help that tells the truth.</summary>
public class CommandLineHabitsTests
{
    [TestCase("eval", "--jsn", "x")]
    [TestCase("sample", "--nope")]
    [TestCase("report", "--json")]
    [TestCase("convert", "-z")]
    public void AnOptionLikeWordIsReportedAsAnUnknownOption(params string[] args) =>
        CliRunner.Run(args).AssertOneLineError(2, $"unknown option '{args[1]}'");

    [Test]
    public void OutputAndVerboseHaveTheDotnetAliases()
    {
        using var temp = new TempFolder();
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "-o", temp.File("a.png"));
        CliRunner.Ok("sample", TinyRuns.Checkpoint(TinyRuns.Vae), "--output", temp.File("b.png"));
        Assert.That(File.Exists(temp.File("a.png")) && File.Exists(temp.File("b.png")), Is.True);
        var verbose = CliRunner.Run("eval", temp.File("missing.scratch"), "-v");
        Assert.That(verbose.ExitCode, Is.EqualTo(1));
        Assert.That(verbose.Error, Does.Contain("   at "), "-v prints the stack trace");
    }

    [Test]
    public void HelpTextsSayWhatTheCommandDoes()
    {
        var compare = CliRunner.Ok("compare", "--help").Output;
        Assert.That(compare, Does.Not.Contain("--resume"), "compare has no --resume");
        Assert.That(System.Text.RegularExpressions.Regex.Matches(compare, "ae,sparse,denoising|ae\\|sparse\\|denoising"), Has.Count.EqualTo(1), "--models' default printed once");
        Assert.That(CliRunner.Ok("train", "--help").Output, Does.Contain("with --resume: the total"));
        foreach (var command in new[] { "train", "eval", "sample", "compare", "report", "convert" })
        {
            var help = CliRunner.Ok(command, "--help").Output;
            Assert.That(System.Text.RegularExpressions.Regex.Matches(help, @"\(default: [^)]*\)[^\n]*\[default:"), Is.Empty, $"{command}: a default printed twice");
        }
    }
}

/// <summary>--json: results as JSON on stdout, progress on stderr; --quiet: no progress at all.</summary>
public class JsonAndQuietTests
{
    [Test]
    public void EvalJsonIsOneObjectOnStdout()
    {
        var result = CliRunner.Ok("eval", TinyRuns.Checkpoint(TinyRuns.Vae), "--json");
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("kind").GetString(), Is.EqualTo("vae"));
        Assert.That(root.GetProperty("images").GetInt32(), Is.EqualTo(2004));
        Assert.That(root.GetProperty("clean").GetProperty("re").GetDouble(), Is.InRange(0.0, 1.0));
        Assert.That(root.GetProperty("noisy").GetProperty("ssim").GetDouble(), Is.InRange(-1.0, 1.0));
        Assert.That(root.GetProperty("terms").GetProperty("kl").GetDouble(), Is.GreaterThan(0));
        Assert.That(result.Error, Is.Empty);
    }

    [Test]
    public void CompareJsonKeepsStdoutForTheResultsAndSendsProgressToStderr()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Ok(["compare", "--models", "ae,vae", "--epochs", "1", "--out", temp.Path, "--json", .. TinyRuns.TinyRecipe]);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.That(models.Select(m => m.GetProperty("kind").GetString()), Is.EqualTo(new[] { "ae", "vae" }));
        Assert.That(models[0].GetProperty("epochs").GetInt32(), Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("epoch 1/1").And.Contain("comparing"), "progress on stderr");
    }

    [Test]
    public void QuietPrintsResultsWithoutProgress()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Ok(["train", "--model", "ae", "--epochs", "1", "--out", temp.Path, "--quiet", .. TinyRuns.TinyRecipe]);
        Assert.That(result.Output, Does.Not.Contain("epoch 1/1").And.Not.Contain("training ae"));
        Assert.That(result.Output, Does.Contain("RE ↓").And.Contain("wrote"), "the results still print");
        Assert.That(result.Error, Is.Empty);
        Assert.That(CliRunner.Ok("eval", TinyRuns.Checkpoint(TinyRuns.Ae), "-q").Output, Does.Contain("PSNR"));
    }
}
