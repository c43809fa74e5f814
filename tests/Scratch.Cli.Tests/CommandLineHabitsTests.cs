namespace Scratch.Cli.Tests;

/// <summary>The command line as .NET users expect it: unknown options named, dotnet-style aliases, help that tells the truth.</summary>
public class CommandLineHabitsTests
{
    [TestCase("eval", "--json", "x")]
    [TestCase("sample", "--nope")]
    [TestCase("report", "--json")]
    [TestCase("convert", "-q")]
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
