using System.Diagnostics;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Experiments.Generation;

/// <summary>The trained feature network and what it scored on the test split.</summary>
public sealed record FeatureNetwork(DigitClassifier Classifier, double TestAccuracy, string Path, bool FromCache, TimeSpan TrainingTime);

/// <summary>
/// Trains the classifier once per dataset and keeps its weights in a cache folder, so every
/// evaluation after the first loads them instead of retraining. The file's name is the recipe's key
/// and the data's fingerprint (<see cref="ImageDataset.Fingerprint"/>): a Fashion-MNIST run never
/// scores with the digits' classifier. Its metadata repeats both and the test accuracy, and a file
/// whose recipe or data differs is refused.
/// </summary>
public static class FeatureNetworkCache
{
    public const string Content = "scratch-digit-classifier";

    public static string PathFor(string cacheFolder, ClassifierRecipe recipe, string dataFingerprint) =>
        System.IO.Path.Combine(cacheFolder, $"{recipe.Key}-data-{dataFingerprint}.safetensors");

    /// <summary>
    /// Loads the cached classifier of <paramref name="recipe"/> trained on the data of
    /// <paramref name="dataFingerprint"/>, or trains it on <paramref name="train"/>, scores it on
    /// <paramref name="test"/> and caches it.
    /// </summary>
    public static FeatureNetwork LoadOrTrain(string cacheFolder, string dataFingerprint, ImageSet train, ImageSet test, ClassifierRecipe recipe, Action<string>? log = null)
    {
        string path = PathFor(cacheFolder, recipe, dataFingerprint);
        if (File.Exists(path))
        {
            try
            {
                return Load(path, recipe, dataFingerprint);
            }
            catch (CheckpointFormatException e)
            {
                // A cache an older Scratch wrote (another format), or one that cannot be read, is rebuilt.
                log?.Invoke($"the cached feature network cannot be used ({e.Message}): training it again");
            }
        }
        log?.Invoke($"training the feature network ({recipe.Key}) on {train.Count} images of this data ({dataFingerprint}); cached in {path}");
        var clock = Stopwatch.StartNew();
        var classifier = new DigitClassifier(recipe, new Rng(recipe.Seed));
        classifier.Fit(train, e => log?.Invoke($"  classifier epoch {e.Epoch}/{recipe.Epochs}: cross-entropy {e.TrainLoss:F4}"));
        double accuracy = classifier.Accuracy(test);
        Directory.CreateDirectory(cacheFolder);
        State(classifier, dataFingerprint, new JsonObject
        {
            ["testAccuracy"] = accuracy,
            ["testCount"] = test.Count,
            ["trainingSeconds"] = clock.Elapsed.TotalSeconds,
        }).Save(path);
        return new FeatureNetwork(classifier, accuracy, path, FromCache: false, clock.Elapsed);
    }

    // The classifier as a training state: its weights, its recipe's key, and what it scored.
    private static TrainingState State(DigitClassifier classifier, string dataFingerprint, JsonObject extra)
    {
        var state = new TrainingState(Content, new JsonObject { ["key"] = classifier.Recipe.Key, ["data"] = dataFingerprint }) { Extra = extra };
        state.Modules.Add(("", classifier));
        return state;
    }

    /// <summary>Loads a cached classifier; a file of another recipe or data, or damaged, is refused naming the file.</summary>
    public static FeatureNetwork Load(string path, ClassifierRecipe recipe, string dataFingerprint)
    {
        var file = TrainingState.Read(path, Content);
        var read = file.Reader;
        string key = read.String(file.Recipe, "key", "recipe");
        if (key != recipe.Key)
            throw read.Fail($"holds a {Content} with recipe '{key}', not '{recipe.Key}'");
        string data = read.String(file.Recipe, "data", "recipe");
        if (data != dataFingerprint)
            throw read.Fail($"holds a {Content} trained on data {data}, not on {dataFingerprint}");
        var classifier = new DigitClassifier(recipe, new Rng(recipe.Seed));
        State(classifier, dataFingerprint, []).Restore(file);
        var extra = file.Extra;
        return new FeatureNetwork(classifier, read.Double(extra, "testAccuracy", "extra"), path, FromCache: true,
            TimeSpan.FromSeconds(read.Double(extra, "trainingSeconds", "extra")));
    }
}
