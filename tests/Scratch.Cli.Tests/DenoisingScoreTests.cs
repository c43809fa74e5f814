using Scratch.Cli.OldCheckpoints;
using Scratch.Cli.Tests.Convert;
using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Experiments.Evaluation;
using Scratch.Models.Training;

namespace Scratch.Cli.Tests;

/// <summary>
/// Every model is also scored as a denoiser: its reconstructions of test digits damaged by the
/// benchmark noise, against the clean digits — in eval, compare's table and the report.
/// </summary>
public class DenoisingScoreTests
{
    [Test]
    public void DenoisingScoresCompareReconstructionsOfNoisyInputsWithTheCleanDigits()
    {
        var loaded = ModelCheckpoint.Load(TinyRuns.Checkpoint(TinyRuns.Ae));
        var test = Models.Data.DataSource.Load(Models.Data.DataSource.SampleDirectory()).Test.Take(128);
        var scores = Reconstruction.ScoreDenoising(loaded.Model, test);
        Assert.That(Reconstruction.ScoreDenoising(loaded.Model, test), Is.EqualTo(scores), "the same damaged digits every time");

        // By hand: one batch of 128, damaged with the benchmark noise from its seed, reconstructed, against the clean digits.
        var clean = test.ToFloats();
        var x = Tensor.FromArray(clean, test.Count, test.PixelsPerImage);
        var noisy = Corruption.Benchmark.Apply(x, new Rng(Reconstruction.NoiseSeed));
        loaded.Model.Eval();
        var y = loaded.Model.Reconstruct(noisy).ToArray<float>();
        double mse = clean.Zip(y, (a, b) => (double)(a - b) * (a - b)).Average();
        Assert.That(scores.Re, Is.EqualTo(mse).Within(1e-9));
    }

    [Test]
    public void EvalCompareAndReportShowBothColumns()
    {
        var eval = CliRunner.Ok("eval", TinyRuns.Checkpoint(TinyRuns.Ae)).Output;
        Assert.That(eval, Does.Contain("clean input").And.Contain("noisy input (Gaussian noise σ 0.3)"));
        using var temp = new TempFolder();
        var compare = CliRunner.Ok(["compare", "--models", "ae", "--epochs", "0", "--out", temp.Path, .. TinyRuns.TinyRecipe]).Output;
        Assert.That(compare, Does.Contain("noisy: RE"));
        var html = File.ReadAllText(temp.File("report.html"));
        Assert.That(html, Does.Contain("<th>noisy: RE ↓</th>").And.Contain("Gaussian noise σ 0.3"));
    }

    [Test]
    public void ACaptionNamesTheNoiseInWordsNotAsACSharpRecord()
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--model", "denoising", "--epochs", "1", "--out", temp.Path, .. TinyRuns.TinyRecipe]);
        CliRunner.Ok("report", temp.Path, "--out", temp.File("r.html"));
        var html = File.ReadAllText(temp.File("r.html"));
        Assert.That(html, Does.Contain("Gaussian noise σ 0.3").And.Not.Contain("Gaussian {"));
    }

    [Test]
    public void CheckpointsWrittenBeforeUnclippedNoiseLoadAsClipped()
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--model", "denoising", "--epochs", "0", "--out", temp.Path, .. TinyRuns.TinyRecipe]);
        Assert.That(((DenoisingAutoencoder)ModelCheckpoint.Load(temp.File("checkpoint.scratch")).Model).Corruption, Is.EqualTo(new Corruption.Gaussian(0.3, Clip: false)));
        // An old-format (scratch-checkpoint, version 1) file, as written before noiseClip existed:
        // the version-1/2 layout of the same run, without the field.
        var (state, arrays) = TrainingState.ReadParts(temp.File("checkpoint.scratch"));
        var model = (JsonObject)state["recipe"]!["model"]!.DeepClone();
        model.Remove("noiseClip");
        var metadata = new JsonObject
        {
            ["content"] = "scratch-autoencoder", ["model"] = model, ["training"] = state["recipe"]!["training"]!.DeepClone(),
            ["epochsDone"] = 0, ["rng"] = state["rngs"]!["trainer"]!.DeepClone(), ["optimizer"] = state["optimizers"]!["model"]!.DeepClone(),
            ["history"] = new JsonArray(),
        };
        CheckpointWriter.Write(temp.File("old.scratch"), metadata, arrays.Select(t => new NamedArray(t.Name, t.Tensor.ShapeArray, t.Tensor.ToArray<float>())));
        CliRunner.Ok("convert", temp.File("old.scratch"));
        Assert.That(((DenoisingAutoencoder)ModelCheckpoint.Load(temp.File("old.scratch")).Model).Corruption, Is.EqualTo(new Corruption.Gaussian(0.3, Clip: true)));
    }
}
