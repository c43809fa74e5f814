using System.Diagnostics;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Experiments.Metrics;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Evaluation;

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
    public static IReadOnlyList<ComparisonRow> Run(ImageDataset data, ModelSpec baseSpec, TrainOptions options,
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
            var test = data.Test.Take(options.TestLimit);
            var scores = Reconstruction.Score(model, test, options.Device);
            var denoised = Reconstruction.ScoreDenoising(model, test, options.Device);
            var last = history.Count > 0 ? history[^1] : null;
            var (loss, terms) = last is null ? trainer.Evaluate(test, 0) : (last.TestLoss, last.TestTerms);
            rows.Add(new ComparisonRow(kind, scores, denoised, loss, terms, clock.Elapsed, trainer));
        }
        return rows;
    }
}
