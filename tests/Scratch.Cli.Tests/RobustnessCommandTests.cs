using System.Globalization;
using Scratch.Cli.Report;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

public class RobustnessCommandTests
{
    // --quick: the whole command — three models trained, measured, table, report — in seconds.
    private static readonly Lazy<(TempFolder Folder, CliResult Result)> Quick = new(() =>
    {
        var folder = new TempFolder();
        var result = CliRunner.Ok("robustness", "--quick", "--out", folder.Path, "--threads", "2");
        return (folder, result);
    });

    [OneTimeTearDown]
    public void DeleteRuns()
    {
        if (Quick.IsValueCreated) Quick.Value.Folder.Dispose();
    }

    [Test]
    public void Quick_PrintsBothTablesAndWritesTheReportCurvesCsvAndCheckpoints()
    {
        var (folder, result) = Quick.Value;
        foreach (var text in new[] { "│ vae ", "│ avae ", "│ avae-post ", "clean acc", "self-cons. R²", "L∞ 0.3", "L2 3", "total time" })
            Assert.That(result.Output, Does.Contain(text), text);

        var html = File.ReadAllText(folder.File("report.html"));
        Assert.That(html, Does.Contain("L∞ attack on the encoder").And.Contain("L2 attack on the encoder").And.Contain("<polyline").And.Contain("Every model and seed"));
        Assert.That(File.ReadAllText(folder.File("curves.svg")), Does.StartWith("<svg").And.Contain("avae-post"));
        Assert.That(File.ReadAllText(folder.File("table.md")), Does.Contain("| vae |").And.Contain("---:|"));

        var csv = File.ReadAllLines(folder.File("robustness.csv"));
        Assert.That(csv, Has.Length.EqualTo(4), "a header and one row per model of the one quick seed");
        var header = csv[0].Split(',');
        Assert.That(header[..4], Is.EqualTo(new[] { "model", "seed", "re", "neg_elbo" }));
        Assert.That(header, Does.Contain("linf_0.3_acc").And.Contain("l2_3_acc").And.Contain("sc_r2"));
        foreach (var line in csv[1..])
        {
            var cells = line.Split(',');
            double Cell(string name) => double.Parse(cells[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
            Assert.That(Cell("clean_acc"), Is.InRange(0.0, 1.0), line);
            Assert.That(Cell("linf_0.1_acc"), Is.InRange(0.0, 1.0), line);
            Assert.That(Cell("linf_0.3_shift"), Is.GreaterThan(Cell("linf_0.05_shift")), "a larger ball moves the code further: " + line);
        }
        Assert.That(File.ReadAllLines(folder.File("summary.csv")), Has.Length.EqualTo(4));
        foreach (var model in new[] { "vae", "avae", "avae-post" })
            Assert.That(ModelCheckpoint.Load(folder.File($"{model}-seed1/checkpoint.scratch")).Spec.Kind, Is.EqualTo(model == "vae" ? "vae" : "avae"));
    }

    [Test]
    public void Checkpoint_MeasuresATrainedVae()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Ok("robustness", "--checkpoint", TinyRuns.Vae, "--test-limit", "50", "--train-limit", "300", "--steps", "2",
            "--linf-epsilons", "0,0.1", "--norms", "linf", "--consistency-samples", "50", "--out", temp.Path);
        Assert.That(result.Output, Does.Contain("vae (vae)").And.Contain("L∞ 0.1").And.Not.Contain("L2 3"));
        Assert.That(File.ReadAllLines(temp.File("robustness.csv")), Has.Length.EqualTo(2));
    }

    [Test]
    public void BandChart_DrawsALinePerSeriesAndABandWhereTheSeedsDisagree()
    {
        var svg = SvgBandChart.Render("acc", "ε", "accuracy",
        [
            ("spread", [new BandPoint(0, 0.9, 0.85, 0.95), new BandPoint(0.1, 0.5, 0.4, 0.6), new BandPoint(0.3, 0.2, 0.1, 0.3)]),
            ("one seed", [new BandPoint(0, 0.8, 0.8, 0.8), new BandPoint(0.1, 0.3, 0.3, 0.3), new BandPoint(0.3, double.NaN, 0, 0)]),
        ]);
        Assert.That(svg, Does.StartWith("<svg").And.EndWith("</svg>").And.Not.Contain("NaN"));
        Assert.That(svg.Split("<polygon class=\"band\"").Length - 1, Is.EqualTo(1), "a band only where the seeds disagree");
        Assert.That(svg.Split("<polyline").Length - 1, Is.EqualTo(2));
        Assert.That(svg.Split("<circle").Length - 1, Is.EqualTo(5), "the non-finite point is left out");
    }

    [TestCase("--linf-epsilons", "0,-0.1", "--linf-epsilons '-0.1'")]
    [TestCase("--linf-epsilons", "1.5", "--linf-epsilons '1.5'")]
    [TestCase("--l2-epsilons", "-2", "--l2-epsilons")]
    [TestCase("--norms", "l1", "--norms 'l1'")]
    [TestCase("--steps", "0", "--steps '0'")]
    [TestCase("--seeds", "x", "--seeds 'x'")]
    public void BadOptions_GiveOneLineAndExitCode2(string option, string value, string mention)
    {
        using var temp = new TempFolder();
        CliRunner.Run("robustness", "--quick", option, value, "--out", temp.Path).AssertOneLineError(2, mention);
        Assert.That(File.Exists(temp.File("report.html")), Is.False);
    }

    [Test]
    public void ACheckpointThatIsNotAVae_OrOfAnotherShape_GivesOneLineAndExitCode2()
    {
        using var temp = new TempFolder();
        CliRunner.Run("robustness", "--checkpoint", TinyRuns.Ae, "--out", temp.Path).AssertOneLineError(2, "'ae'", "VAE or an AVAE");
        CliRunner.Run("robustness", "--checkpoint", TinyRuns.Vae, "--data", "colour-mnist", "--out", temp.Path).AssertOneLineError(2, "--checkpoint");
        CliRunner.Run("robustness", "--checkpoint", temp.File("missing"), "--out", temp.Path).AssertOneLineError(2, "no such file");
        Assert.That(File.Exists(temp.File("report.html")), Is.False);
    }
}
