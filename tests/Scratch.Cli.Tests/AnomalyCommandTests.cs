using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Cli.Tests;

public class AnomalyCommandTests
{
    // --quick on two classes and 300 test images: the whole command, table to report, in seconds.
    private static readonly Lazy<(TempFolder Folder, CliResult Result)> Quick = new(() =>
    {
        var folder = new TempFolder();
        var result = CliRunner.Ok("anomaly", "--quick", "--classes", "0,1", "--models", "pca,ae,vae", "--test-limit", "300", "--out", folder.Path, "--threads", "2");
        return (folder, result);
    });

    [OneTimeTearDown]
    public void DeleteRuns()
    {
        if (Quick.IsValueCreated) Quick.Value.Folder.Dispose();
    }

    [Test]
    public void Quick_PrintsTheAurocTableWithAMeanPerScore()
    {
        var output = Quick.Value.Result.Output;
        foreach (var row in new[] { "pca RE", "ae RE", "vae RE", "vae -ELBO" })
            Assert.That(output, Does.Contain($"│ {row}"), row);
        Assert.That(output, Does.Contain("mean").And.Contain("total time"));

        var csv = File.ReadAllLines(Path.Combine(Quick.Value.Folder.Path, "auroc.csv"));
        Assert.That(csv[0], Is.EqualTo("score,0,1,mean"));
        Assert.That(csv, Has.Length.EqualTo(5));
        foreach (var line in csv[1..])
        {
            var values = line.Split(',')[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.That(values, Is.All.InRange(0.0, 1.0), line);
            Assert.That(values[2], Is.EqualTo((values[0] + values[1]) / 2).Within(1e-12), "the mean of the two classes");
        }
        // The PCA baseline needs no training: even --quick separates ones from the rest.
        Assert.That(double.Parse(csv[1].Split(',')[2], CultureInfo.InvariantCulture), Is.GreaterThan(0.95), csv[1]);
    }

    [Test]
    public void Quick_WritesTheReportPicturesAndThePictureClassCheckpoints()
    {
        var folder = Quick.Value.Folder;
        var html = File.ReadAllText(folder.File("report.html"));
        Assert.That(html, Does.Contain("normal class 0").And.Contain("normal class 1").And.Contain("false-positive rate"));
        Assert.That(html, Does.Contain("<polyline").And.Contain("data:image/png;base64,"));
        foreach (var png in new[] { "class0-pca-re.png", "class0-ae-re.png", "class0-vae-re.png", "class0-vae-elbo.png" })
        {
            var (width, height) = MiniPng.CheckAndGetSize(File.ReadAllBytes(folder.File(png)));
            Assert.That((width, height), Is.EqualTo((16 * 30 + 2, 2 * 30 + 2)), $"{png}: 16 least and 16 most anomalous zeros");
        }
        Assert.That(ModelCheckpoint.Load(folder.File("ae-class0/checkpoint.scratch")).Spec.Config.Describe(), Is.EqualTo("784-64-8"));
        Assert.That(File.Exists(folder.File("vae-class0/checkpoint.scratch")));
        Assert.That(Directory.Exists(folder.File("pca-class0")), Is.False, "PCA has no checkpoint");
    }

    [Test]
    public void Score_WritesEveryTestImagesScoreWithAThresholdAtThePercentileOfTheTrainingScores()
    {
        using var temp = new TempFolder();
        var checkpoint = TinyRuns.Checkpoint(TinyRuns.Ae);
        var result = CliRunner.Ok("anomaly", "--score", checkpoint, "--classes", "1", "--percentile", "90", "--test-limit", "100", "--out", temp.Path);
        Assert.That(result.Output, Does.Contain("threshold").And.Contain("AUROC"));

        // The threshold recomputed here from the same model and images.
        var loaded = ModelCheckpoint.Load(checkpoint);
        var data = DataSource.Load(DataSource.SampleDirectory());
        double expected = Percentile.Of(AnomalyScores.ReconstructionError(loaded.Model, OneClassProtocol.OfClass(data.Train, 1)), 90);
        var json = JsonNode.Parse(File.ReadAllText(temp.File("scores.json")))!;
        Assert.That(json["threshold"]!.GetValue<double>(), Is.EqualTo(expected).Within(1e-12));
        Assert.That(json["thresholdPercentile"]!.GetValue<double>(), Is.EqualTo(90));
        Assert.That(json["images"]!.AsArray(), Has.Count.EqualTo(100));

        var rows = File.ReadAllLines(temp.File("scores.csv"));
        Assert.That(rows[0], Is.EqualTo("index,label,score,anomalous"));
        Assert.That(rows, Has.Length.EqualTo(101));
        foreach (var row in rows[1..])
        {
            var cells = row.Split(',');
            Assert.That(cells[1], Is.EqualTo(data.Test.Labels[int.Parse(cells[0], CultureInfo.InvariantCulture)].ToString(CultureInfo.InvariantCulture)));
            bool above = double.Parse(cells[2], CultureInfo.InvariantCulture) > expected;
            Assert.That(cells[3], Is.EqualTo(above ? "1" : "0"), row);
        }
    }

    [Test]
    public void Score_ImagesOfAUsersOwnFileWithoutLabels()
    {
        using var temp = new TempFolder();
        var data = DataSource.Load(DataSource.SampleDirectory());
        // Five test digits and two white images (nothing like a digit on black), written as a lone gzip IDX images file.
        var pixels = new byte[7 * 784];
        data.Test.Pixels.AsSpan(0, 5 * 784).CopyTo(pixels);
        pixels.AsSpan(5 * 784).Fill(255);
        string file = temp.File("mine-idx3-ubyte.gz");
        File.WriteAllBytes(file, IdxBytes.Gzip(IdxBytes.Build([7, 28, 28], pixels)));

        var checkpoint = TinyRuns.Checkpoint(TinyRuns.Ae);
        var result = CliRunner.Ok("anomaly", "--score", checkpoint, "--images", file, "--out", temp.File("scores"));
        Assert.That(result.Output, Does.Contain("7 images of").And.Not.Contain("AUROC"));

        var rows = File.ReadAllLines(temp.File("scores/scores.csv"));
        Assert.That(rows, Has.Length.EqualTo(8));
        Assert.That(rows[1..].Select(r => r.Split(',')[1]), Is.All.Empty, "no labels: the label cell is empty");
        var scores = rows[1..].Select(r => double.Parse(r.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        var expected = AnomalyScores.ReconstructionError(ModelCheckpoint.Load(checkpoint).Model, IdxFolder.LoadUnlabelled(file));
        Assert.That(scores, Is.EqualTo(expected).Within(1e-12));
        Assert.That(scores[5..].Min(), Is.GreaterThan(scores[..5].Max()), "white images score above every digit");
        Assert.That(rows[6].Split(',')[3], Is.EqualTo("1"), "a white image is flagged");
        var json = JsonNode.Parse(File.ReadAllText(temp.File("scores/scores.json")))!;
        Assert.That(json["images"]!.AsArray()[0]!["label"], Is.Null);
    }

    [Test]
    public void ImagesOfAnotherSizeOrAMissingFile_AreOneLineAndExitCode2()
    {
        using var temp = new TempFolder();
        string small = temp.File("small-idx3-ubyte");
        File.WriteAllBytes(small, IdxBytes.Images(4, 14, 14));
        var checkpoint = TinyRuns.Checkpoint(TinyRuns.Ae);
        CliRunner.Run("anomaly", "--score", checkpoint, "--images", small, "--out", temp.File("a")).AssertOneLineError(2, "28×28 grey images (784 values)", "14×14");
        CliRunner.Run("anomaly", "--score", checkpoint, "--images", temp.File("none"), "--out", temp.File("b")).AssertOneLineError(2, "--images", "does not exist");
        CliRunner.Run("anomaly", "--score", checkpoint, "--images", temp.Path, "--out", temp.File("c")).AssertOneLineError(2, "--images", temp.Path, "holds no PNG or JPEG images");
        CliRunner.Run("anomaly", "--quick", "--images", small).AssertOneLineError(2, "--images", "--score");
    }

    [Test]
    public void Score_WithTheElboOfAVae()
    {
        using var temp = new TempFolder();
        CliRunner.Ok("anomaly", "--score", TinyRuns.Checkpoint(TinyRuns.Vae), "--measure", "elbo", "--samples", "3", "--test-limit", "20", "--out", temp.Path);
        var json = JsonNode.Parse(File.ReadAllText(temp.File("scores.json")))!;
        Assert.That(json["measure"]!.GetValue<string>(), Is.EqualTo("elbo"));
        Assert.That(json["images"]!.AsArray().Select(i => i!["score"]!.GetValue<double>()), Is.All.GreaterThan(0), "−IWAE in nats of BCE is positive");
    }

    [TestCase("10")]
    [TestCase("-1")]
    [TestCase("3,x")]
    public void ClassesOutOfRange_AreOneLineAndExitCode2(string classes) =>
        CliRunner.Run("anomaly", "--quick", "--classes", classes).AssertOneLineError(2, "--classes", classes.Split(',')[^1]);

    [Test]
    public void AClassWithNoTrainingImages_IsOneLineAndExitCode2()
    {
        using var temp = new TempFolder();
        var data = DataSource.Load(DataSource.SampleDirectory());
        WriteIdx(temp.Path, OneClassProtocol.OfClasses(data.Train, [0, 1, 2, 3, 4, 5, 6, 8, 9]), data.Test.Take(200));
        CliRunner.Run("anomaly", "--quick", "--classes", "6,7", "--data", temp.Path, "--out", temp.File("run"))
            .AssertOneLineError(2, "class 7 has no training images", temp.Path);
        Assert.That(Directory.Exists(temp.File("run")), Is.False, "nothing trained, nothing written");
    }

    [Test]
    public void ACheckpointWhoseInputSizeDoesNotMatchTheData_IsOneLineAndExitCode2()
    {
        using var temp = new TempFolder();
        var rng = new Random(5);
        ImageSet Small(int n) => new(new ImageShape(1, 14, 14), Enumerable.Range(0, n * 196).Select(_ => (byte)rng.Next(256)).ToArray(), Enumerable.Range(0, n).Select(i => i % 10).ToArray());
        WriteIdx(temp.Path, Small(30), Small(20));
        CliRunner.Run("anomaly", "--score", TinyRuns.Checkpoint(TinyRuns.Ae), "--data", temp.Path, "--out", temp.File("scores"))
            .AssertOneLineError(2, "28×28 grey images (784 values)", "14×14", "(196 values)");
    }

    [Test]
    public void ElboOfANonVaeCheckpoint_IsOneLineAndExitCode2() =>
        CliRunner.Run("anomaly", "--score", TinyRuns.Checkpoint(TinyRuns.Ae), "--measure", "elbo").AssertOneLineError(2, "VAE", "ae");

    [TestCase(new[] { "anomaly", "--models", "ae,gan" }, "gan")]
    [TestCase(new[] { "anomaly", "--percentile", "120" }, "--percentile")]
    [TestCase(new[] { "anomaly", "--samples", "0" }, "--samples")]
    [TestCase(new[] { "anomaly", "--classes", "1,2", "--picture-class", "5" }, "--picture-class")]
    public void OtherBadOptions_AreOneLineAndExitCode2(string[] args, string mentions) =>
        CliRunner.Run([.. args, "--quick", "--out", Path.Combine(TinyRuns.Folder, "never")]).AssertOneLineError(2, mentions);

    [Test]
    public void AnEarlierTableIsNotReplacedWithoutOverwrite()
    {
        using var temp = new TempFolder();
        string[] args = ["anomaly", "--quick", "--models", "pca", "--classes", "1", "--test-limit", "200", "--out", temp.Path];
        CliRunner.Ok(args);
        CliRunner.Run(args).AssertOneLineError(2, "already holds a run", "--overwrite");
        CliRunner.Ok([.. args, "--overwrite"]);
        Assert.That(File.ReadAllLines(temp.File("auroc.csv"))[0], Is.EqualTo("score,1,mean"));
    }

    [Test]
    public void HelpListsTheOptions()
    {
        var help = CliRunner.Ok("anomaly", "--help").Output;
        foreach (var option in new[] { "--models", "--classes", "--quick", "--score", "--percentile", "--measure", "--samples", "--epochs", "--hidden", "--latent" })
            Assert.That(help, Does.Contain(option));
    }

    // The four IDX files of an MNIST folder, raw (not gzip): images as bytes, labels as bytes.
    private static void WriteIdx(string folder, ImageSet train, ImageSet test)
    {
        foreach (var (split, name) in new[] { (train, "train"), (test, "test") })
        {
            File.WriteAllBytes(Path.Combine(folder, $"{name}-images-idx3-ubyte"), IdxBytes.Build([(uint)split.Count, (uint)split.Rows, (uint)split.Cols], split.Pixels));
            File.WriteAllBytes(Path.Combine(folder, $"{name}-labels-idx1-ubyte"), IdxBytes.Build([(uint)split.Count], split.Labels.Select(l => (byte)l).ToArray()));
        }
    }
}

public class RocChartTests
{
    [Test]
    public void Thin_DropsTheInnerPointsOfStraightRunsAndKeepsTheCorners()
    {
        RocPoint P(double fpr, double tpr) => new(fpr, tpr, 0);
        var curve = new[] { P(0, 0), P(0, 0.25), P(0, 0.5), P(0, 1), P(0.5, 1), P(1, 1) };
        Assert.That(Report.SvgRocChart.Thin(curve), Is.EqualTo(new[] { P(0, 0), P(0, 1), P(1, 1) }));
    }

    [Test]
    public void Render_DrawsOneLinePerScoreWithItsAurocInTheLegend()
    {
        var roc = Roc.Curve([0.1, 0.4, 0.35, 0.8], [0.9, 0.4, 0.7]);
        var svg = Report.SvgRocChart.Render("class 3", [("ae RE", roc, 0.79), ("pca RE", roc, 0.5)]);
        Assert.That(svg, Does.StartWith("<svg").And.EndWith("</svg>"));
        Assert.That(svg.Split("<polyline").Length - 1, Is.EqualTo(2));
        Assert.That(svg, Does.Contain("ae RE: AUROC 0.7900").And.Contain("pca RE: AUROC 0.5000"));
    }
}
