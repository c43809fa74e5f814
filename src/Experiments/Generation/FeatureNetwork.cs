using System.Diagnostics;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Experiments.Generation;

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
        if (IsCacheOf(path)) return Load(path, recipe);
        log?.Invoke($"training the feature network ({recipe.Key}) on {train.Count} digits; cached in {path}");
        var clock = Stopwatch.StartNew();
        var classifier = new DigitClassifier(recipe, new Rng(recipe.Seed));
        classifier.Fit(train, e => log?.Invoke($"  classifier epoch {e.Epoch}/{recipe.Epochs}: cross-entropy {e.TrainLoss:F4}"));
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
        Safetensors.Save(path, classifier.NamedState(), new Dictionary<string, string> { [MetadataKey] = metadata.ToJsonString() });
        return new FeatureNetwork(classifier, accuracy, path, FromCache: false, clock.Elapsed);
    }

    /// <summary>The __metadata__ key of the cache file's description (content, recipe, test accuracy).</summary>
    public const string MetadataKey = "scratch.feature-network";

    /// <summary>True when <paramref name="path"/> is a safetensors file; a cache an older Scratch wrote in its own format is retrained over.</summary>
    private static bool IsCacheOf(string path) => File.Exists(path) && Safetensors.IsSafetensors(path);

    /// <summary>Loads a cached classifier; a file of another recipe, or damaged, is refused naming the file.</summary>
    public static FeatureNetwork Load(string path, ClassifierRecipe recipe)
    {
        var file = Safetensors.Load(path);
        JsonObject? metadata = null;
        try
        {
            metadata = file.Metadata.TryGetValue(MetadataKey, out var json) ? JsonNode.Parse(json) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException) { }
        string? content = Text(metadata, "content"), key = Text(metadata, "recipe");
        if (content != Content || key != recipe.Key)
            throw new CheckpointFormatException(path, $"holds '{content}' with recipe '{key}', not a {Content} with recipe '{recipe.Key}'");
        var classifier = new DigitClassifier(recipe, new Rng(recipe.Seed));
        var (missing, unexpected) = classifier.LoadStateDict(file.ByName, strict: false);
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new CheckpointFormatException(path, $"does not fit the {recipe.Key} classifier (missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)})");
        double accuracy = Number(metadata, "testAccuracy") ?? double.NaN;
        double seconds = Number(metadata, "trainingSeconds") ?? 0;
        return new FeatureNetwork(classifier, accuracy, path, FromCache: true, TimeSpan.FromSeconds(seconds));
    }

    private static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    private static double? Number(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue(out double d) ? d : null;
}
