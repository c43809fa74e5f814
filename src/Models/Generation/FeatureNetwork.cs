using System.Diagnostics;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Models.Generation;

/// <summary>The trained feature network and what it scored on the test split.</summary>
public sealed record FeatureNetwork(DigitClassifier Classifier, double TestAccuracy, string Path, bool FromCache, TimeSpan TrainingTime);

/// <summary>
/// Trains the digit classifier once and keeps its weights in a cache folder, so every evaluation
/// after the first loads them instead of retraining. The file's name is the recipe's key; its
/// metadata repeats the recipe and the test accuracy, and a file whose recipe differs is refused.
/// </summary>
public static class FeatureNetworkCache
{
    public const string Content = "scratch-digit-classifier";

    public static string PathFor(string cacheFolder, ClassifierRecipe recipe) =>
        System.IO.Path.Combine(cacheFolder, recipe.Key + ".safetensors");

    /// <summary>Loads the cached classifier of <paramref name="recipe"/>, or trains it on <paramref name="train"/>, scores it on <paramref name="test"/> and caches it.</summary>
    public static FeatureNetwork LoadOrTrain(string cacheFolder, MnistSplit train, MnistSplit test, ClassifierRecipe recipe, Action<string>? log = null)
    {
        string path = PathFor(cacheFolder, recipe);
        if (File.Exists(path)) return Load(path, recipe);
        log?.Invoke($"training the feature network ({recipe.Key}) on {train.Count} digits; cached in {path}");
        var clock = Stopwatch.StartNew();
        var classifier = new DigitClassifier(recipe, new Rng(recipe.Seed));
        classifier.Fit(train, e => log?.Invoke($"  classifier epoch {e.Epoch}/{recipe.Epochs}: cross-entropy {e.Loss:F4}"));
        double accuracy = classifier.Accuracy(test);
        Directory.CreateDirectory(cacheFolder);
        var metadata = new JsonObject
        {
            ["content"] = Content,
            ["recipe"] = recipe.Key,
            ["testAccuracy"] = accuracy,
            ["testCount"] = test.Count,
            ["trainingSeconds"] = clock.Elapsed.TotalSeconds,
        };
        CheckpointWriter.Write(path, metadata, classifier.NamedParameters().Select(p =>
            new NamedArray(p.Name, p.Parameter.Data.ShapeArray, p.Parameter.Data.To(DType.Float32).ToArray<float>())));
        return new FeatureNetwork(classifier, accuracy, path, FromCache: false, clock.Elapsed);
    }

    public static FeatureNetwork Load(string path, ClassifierRecipe recipe)
    {
        var file = Checkpoint.Read(path);
        string? content = file.Metadata["content"]?.GetValue<string>();
        string? key = file.Metadata["recipe"]?.GetValue<string>();
        if (content != Content || key != recipe.Key)
            throw new CheckpointFormatException(path, $"holds '{content}' with recipe '{key}', not a {Content} with recipe '{recipe.Key}'");
        var classifier = new DigitClassifier(recipe, new Rng(recipe.Seed));
        foreach (var (name, parameter) in classifier.NamedParameters())
        {
            var array = file.Get(name);
            if (array.Float32 is null || !array.Shape.SequenceEqual(parameter.Data.ShapeArray))
                throw new CheckpointFormatException(path, $"tensor '{name}' is [{string.Join(", ", array.Shape)}] {array.DType}, expected float32 [{string.Join(", ", parameter.Data.ShapeArray)}]");
            parameter.Data.CopyFrom(Tensor.FromArray(array.Float32, array.Shape));
        }
        double accuracy = file.Metadata["testAccuracy"]?.GetValue<double>() ?? double.NaN;
        double seconds = file.Metadata["trainingSeconds"]?.GetValue<double>() ?? 0;
        return new FeatureNetwork(classifier, accuracy, path, FromCache: true, TimeSpan.FromSeconds(seconds));
    }
}
