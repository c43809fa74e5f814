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
        // Progress goes to stderr: the one line saying what data was read, nothing else.
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("data: ").And.Contain("(idx): 7,996 training and 2,004 test images, 28×28 grey, 10 classes"));
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

/// <summary>Response files, as the README documents them: one token per line, expanded in place.</summary>
public class ResponseFileTests
{
    [Test]
    public void ARecipeInAResponseFileTrains()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("ae.rsp"), ["--model", "ae", "--hidden", "16", "--latent", "3", "--epochs", "0", "--train-limit", "64", "--test-limit", "32"]);
        CliRunner.Ok("train", "@" + temp.File("ae.rsp"), "--out", temp.File("run"));
        Assert.That(Models.Checkpoints.ModelCheckpoint.Load(temp.File("run/checkpoint.scratch")).Spec.Config.Describe(), Is.EqualTo("784-16-3"));
    }
}

/// <summary>The optimizer, schedule, clipping and early-stopping options at the command line, resumed exactly.</summary>
public class OptimizerOptionTests
{
    [TestCase("--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.05", "--schedule", "step", "--step-size", "1", "--gamma", "0.5", "--clip-norm", "5")]
    [TestCase("--optimizer", "adamw", "--weight-decay", "0.01", "--schedule", "step", "--step-size", "2", "--lr-warmup", "1.5")]
    public void ARecipeWithEveryOptionResumesBitwise(params string[] recipe)
    {
        using var temp = new TempFolder();
        string[] common = ["--model", "ae", .. TinyRuns.TinyRecipe, .. recipe];
        CliRunner.Ok(["train", "--epochs", "3", "--out", temp.File("straight"), .. common]);
        CliRunner.Ok(["train", "--epochs", "1", "--out", temp.File("split"), .. common]);
        CliRunner.Ok("train", "--resume", temp.File("split"), "--epochs", "3");
        static string[] Losses(string folder) => File.ReadAllLines(Path.Combine(folder, "history.csv")).Skip(1)
            .Select(line => string.Join(",", line.Split(',')[..^2])).ToArray();
        Assert.That(Losses(temp.File("split")), Is.EqualTo(Losses(temp.File("straight"))));
        var loaded = Models.Checkpoints.ModelCheckpoint.Load(temp.File("split/checkpoint.scratch"));
        Assert.That(loaded.Options.Optimizer, Is.EqualTo(recipe[1]));
    }

    [Test]
    public void PatienceStopsARunThatNoLongerImproves()
    {
        using var temp = new TempFolder();
        // SGD with a step far too large, kept finite by clipping: the test loss stops improving (after epoch 4, seed 1).
        var result = CliRunner.Ok(["train", "--model", "ae", "--epochs", "8", "--optimizer", "sgd", "--lr", "2", "--clip-norm", "1", "--patience", "1", "--out", temp.Path, .. TinyRuns.TinyRecipe]);
        var epochs = File.ReadAllLines(temp.File("history.csv")).Length - 1;
        if (epochs < 8) Assert.That(result.Output, Does.Contain("stopped early after epoch " + epochs));
        else Assert.Fail($"the run never stopped early: {File.ReadAllText(temp.File("history.csv"))}");
    }
}
