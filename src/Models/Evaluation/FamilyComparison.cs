using System.Diagnostics;
using System.Globalization;
using System.Text;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Metrics;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Evaluation;

/// <summary>One row of the family table: a model trained with the shared recipe, scored on the test split.</summary>
/// <remarks><see cref="Denoised"/>: the same scores from inputs damaged by <see cref="Corruption.Benchmark"/>, against the clean images.</remarks>
public sealed record ComparisonRow(string Kind, ReconstructionScores Scores, ReconstructionScores Denoised, double TestLoss, IReadOnlyList<(string Name, double Value)> TestTerms, TimeSpan TrainingTime, Trainer Trainer)
{
    public Autoencoder Model => Trainer.Model;

    public IReadOnlyList<EpochResult> History => Trainer.History;
}

/// <summary>
/// Trains the whole family — AE, sparse, denoising, VAE, contractive — with the same encoder and
/// decoder sizes and the same recipe, and scores each reconstruction on the test split.
/// </summary>
public static class FamilyComparison
{
    public static IReadOnlyList<ComparisonRow> Run(MnistDataset data, ModelSpec baseSpec, TrainOptions options,
        IEnumerable<string>? kinds = null, Action<string, StepProgress>? onStep = null, Action<string, EpochResult>? onEpoch = null)
    {
        var rows = new List<ComparisonRow>();
        foreach (var kind in kinds ?? ModelSpec.Kinds)
        {
            var spec = baseSpec with { Kind = kind };
            var model = ModelFactory.Create(spec, new Rng(options.Seed));
            model.To(options.Device);
            var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.Parameters()), options);
            var clock = Stopwatch.StartNew();
            var history = trainer.Fit(data, p => onStep?.Invoke(kind, p), r => onEpoch?.Invoke(kind, r));
            clock.Stop();
            var test = Batches.Take(data.Test, options.TestLimit);
            var scores = Reconstruction.Score(model, test, options.Device);
            var denoised = Reconstruction.ScoreDenoising(model, test, options.Device);
            var last = history.Count > 0 ? history[^1] : null;
            var (loss, terms) = last is null ? trainer.Evaluate(test, 0) : (last.TestLoss, last.TestTerms);
            rows.Add(new ComparisonRow(kind, scores, denoised, loss, terms, clock.Elapsed, trainer));
        }
        return rows;
    }

    /// <summary>The table as plain text: model, RE, PSNR (dB), SSIM from clean inputs, the same from noisy ones, test loss, training time.</summary>
    public static string Format(IReadOnlyList<ComparisonRow> rows)
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(string.Format(c, "{0,-12} {1,10} {2,9} {3,8} {4,10} {5,9} {6,8} {7,11} {8,9}", "model", "RE", "PSNR dB", "SSIM",
            "noisy RE", "PSNR", "SSIM", "test loss", "time s"));
        foreach (var r in rows)
            sb.AppendLine(string.Format(c, "{0,-12} {1,10:F5} {2,9:F2} {3,8:F4} {4,10:F5} {5,9:F2} {6,8:F4} {7,11:F3} {8,9:F1}",
                r.Kind, r.Scores.Re, r.Scores.Psnr, r.Scores.Ssim, r.Denoised.Re, r.Denoised.Psnr, r.Denoised.Ssim, r.TestLoss, r.TrainingTime.TotalSeconds));
        return sb.ToString();
    }
}
