using System.Diagnostics;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.AnomalyDetection;

/// <summary>How every detector of a one-class table is built: the autoencoders' sizes and recipe, and the VAE's score.</summary>
public sealed record OneClassRecipe
{
    /// <summary>Sizes and variant settings; Kind is set per method. PCA keeps LatentSize components.</summary>
    public ModelSpec Spec { get; init; } = new();

    /// <summary>TrainLimit caps the images of the normal class; TestLimit takes the first N test images.</summary>
    public TrainOptions Options { get; init; } = new();

    /// <summary>K for the VAE's score: 1 gives −ELBO, more give the importance-weighted bound.</summary>
    public int VaeSamples { get; init; } = 1;
}

/// <summary>One score's result for one normal class: every test image's score, the ROC curve and its area.</summary>
public sealed record ClassScores(string ScoreName, int NormalClass, double[] Scores, RocPoint[] Roc, double Auroc);

/// <summary>A detector fitted to one class, with the time it took (training and scoring the test split).</summary>
public sealed record FittedClass(string Method, int NormalClass, int TrainCount, IReadOnlyList<ClassScores> Scores, TimeSpan Time, Trainer? Trainer);

/// <summary>
/// The one-class protocol of the anomaly-detection literature on MNIST (e.g. Ruff et al., "Deep
/// One-Class Classification", ICML 2018): for each digit class c, fit a detector to the training
/// images of class c only, score every test image, and measure how well the scores separate the
/// test images of class c (normal) from the nine other classes (anomalies) by the AUROC.
/// </summary>
public static class OneClassProtocol
{
    /// <summary>
    /// The methods a table may hold: the PCA baseline, every autoencoder variant, and "complexity",
    /// the compressed size of each image (<see cref="InputComplexity"/>), which needs no training.
    /// </summary>
    public static readonly string[] Methods = ["pca", .. ModelSpec.Kinds, "complexity"];

    /// <summary>The images of one class, in their order, at most <paramref name="limit"/> of them (0 = all).</summary>
    public static ImageSet OfClass(ImageSet split, int digit, int limit = 0) => OfClasses(split, [digit], limit);

    /// <summary>The images whose label is any of <paramref name="digits"/>, in their order, at most <paramref name="limit"/> (0 = all).</summary>
    public static ImageSet OfClasses(ImageSet split, IReadOnlyCollection<int> digits, int limit = 0)
    {
        var indices = Enumerable.Range(0, split.Count).Where(i => digits.Contains(split.Labels[i])).ToArray();
        if (limit > 0 && indices.Length > limit) indices = indices[..limit];
        return split.Subset(indices);
    }

    /// <summary>The names of the scores a method gives: one per method, two for the VAE and the AVAE.</summary>
    public static IReadOnlyList<string> ScoreNames(string method, int vaeSamples) => method switch
    {
        "vae" or "avae" => [$"{method} RE", vaeSamples == 1 ? $"{method} -ELBO" : $"{method} -IWAE(K={vaeSamples})"],
        "complexity" => ["complexity L(x)"],
        _ => [$"{method} RE"],
    };

    /// <summary>Fits every method to every class in turn; <paramref name="onFitted"/> hears of each as it finishes.</summary>
    public static IReadOnlyList<FittedClass> Run(ImageDataset data, IReadOnlyList<int> classes, IReadOnlyList<string> methods, OneClassRecipe recipe,
        Action<FittedClass>? onFitted = null)
    {
        var test = data.Test.Take(recipe.Options.TestLimit);
        var results = new List<FittedClass>();
        foreach (var method in methods)
            foreach (int digit in classes)
            {
                var fitted = FitAndScore(method, digit, data.Train, test, recipe);
                results.Add(fitted);
                onFitted?.Invoke(fitted);
            }
        return results;
    }

    /// <summary>Fits one method to the training images of one class, then scores the test images against it.</summary>
    public static FittedClass FitAndScore(string method, int digit, ImageSet train, ImageSet test, OneClassRecipe recipe)
    {
        var normal = OfClass(train, digit, recipe.Options.TrainLimit);
        if (normal.Count == 0) throw new ArgumentException($"one-class: class {digit} has no training images");
        bool[] isNormal = test.Labels.Select(l => l == digit).ToArray();
        if (!isNormal.Contains(true) || !isNormal.Contains(false))
            throw new ArgumentException($"one-class: the test images must hold class {digit} and other classes to measure an AUROC");

        var clock = Stopwatch.StartNew();
        Trainer? trainer = null;
        IReadOnlyList<double[]> scores;
        if (method == "pca")
            scores = [PcaDetector.Fit(normal, recipe.Spec.Config.LatentSize).Score(test)];
        else if (method == "complexity")
            scores = [InputComplexity.Bits(test)];
        else
        {
            trainer = Train(method, normal, OfClass(test, digit), recipe);
            var device = recipe.Options.Device;
            var re = AnomalyScores.ReconstructionError(trainer.Model, test, device);
            scores = trainer.Model is VariationalAutoencoder vae
                ? [re, AnomalyScores.NegativeElbo(vae, test, recipe.VaeSamples, recipe.Options.Seed, device)]
                : [re];
        }
        clock.Stop();
        var names = ScoreNames(method, recipe.VaeSamples);
        var rows = names.Select((name, i) =>
        {
            var normalScores = scores[i].Where((_, n) => isNormal[n]).ToArray();
            var anomalyScores = scores[i].Where((_, n) => !isNormal[n]).ToArray();
            var roc = Roc.Curve(normalScores, anomalyScores);
            return new ClassScores(name, digit, scores[i], roc, Roc.Area(roc));
        }).ToList();
        return new FittedClass(method, digit, normal.Count, rows, clock.Elapsed, trainer);
    }

    /// <summary>Trains an autoencoder of the given kind on the normal images with the recipe.</summary>
    public static Trainer Train(string kind, ImageSet normalTrain, ImageSet normalTest, OneClassRecipe recipe)
    {
        var model = ModelFactory.Create(recipe.Spec with { Kind = kind }, new Rng(recipe.Options.Seed));
        model.To(recipe.Options.Device);
        // The limits were applied when the class was chosen; the trainer sees the class's images as they are.
        var options = recipe.Options with { TrainLimit = 0, TestLimit = 0 };
        var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.Parameters()), options);
        trainer.Fit(normalTrain, normalTest);
        return trainer;
    }
}
