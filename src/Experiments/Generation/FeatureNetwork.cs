using System.Diagnostics;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Experiments.Generation;

/// <summary>The trained feature network and what it scored on the test split.</summary>
public sealed record FeatureNetwork(FeatureClassifier Classifier, double TestAccuracy, string Path, bool FromCache, TimeSpan TrainingTime);

/// <summary>
/// Trains the classifier once per dataset and keeps its weights in a cache folder, so every
/// evaluation after the first loads them instead of retraining. The file's name is the recipe's key
/// and the data's fingerprint (<see cref="ImageDataset.Fingerprint"/>): a Fashion-MNIST run never
/// scores with the digits' classifier. Its metadata repeats both and the test accuracy, and a file
/// whose recipe or data differs is refused. A set without labels cannot train one: it is scored with
/// a network from a labelled run of the same image shape, named by <see cref="LoadFile"/>.
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
        if (!train.IsLabelled)
            throw new ArgumentException("the feature network of FID and precision/recall is trained on the data's labels, and these images have none; "
                + "score with the feature network of a labelled run of the same image shape (generate --features FILE, a .safetensors file from its --cache folder)");
        log?.Invoke($"training the feature network ({recipe.Key}) on {train.Count} images of this data ({dataFingerprint}); cached in {path}");
        var clock = Stopwatch.StartNew();
        var classifier = new FeatureClassifier(recipe, train.Shape, FeatureClassifier.ClassesOf(train), new Rng(recipe.Seed));
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

    // The classifier as a training state: its weights, its recipe's key, the images and classes it
    // was built for, and what it scored.
    private static TrainingState State(FeatureClassifier classifier, string dataFingerprint, JsonObject extra)
    {
        var image = classifier.Image;
        var recipe = new JsonObject
        {
            ["key"] = classifier.Recipe.Key,
            ["data"] = dataFingerprint,
            ["image"] = new JsonArray(image.Channels, image.Height, image.Width),
            ["classes"] = classifier.Classes,
        };
        var state = new TrainingState(Content, recipe) { Extra = extra };
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
        return Restore(path, file, recipe, data);
    }

    /// <summary>
    /// The feature network saved at <paramref name="path"/> by any run (its recipe is read from the
    /// file), for scoring <paramref name="image"/>s — of an unlabelled set, with a labelled run's network.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a feature network, is damaged, or is for images of another shape (named).</exception>
    public static FeatureNetwork LoadFile(string path, ImageShape image)
    {
        var file = TrainingState.Read(path, Content);
        var read = file.Reader;
        var key = read.String(file.Recipe, "key", "recipe");
        var recipe = ClassifierRecipe.Parse(key) ?? throw read.Fail($"metadata field 'recipe.key' is '{key}', not a feature network recipe");
        var network = Restore(path, file, recipe, read.String(file.Recipe, "data", "recipe"));
        if (network.Classifier.Image != image)
            throw read.Fail($"holds a feature network for {network.Classifier.Image} images, and these are {image}");
        return network;
    }

    // The classifier of the file's image shape and class count (28×28 grey and 10 digits in files
    // written before those were saved), with the file's weights.
    private static FeatureNetwork Restore(string path, TrainingState.File file, ClassifierRecipe recipe, string dataFingerprint)
    {
        var read = file.Reader;
        var image = ImageShape.Mnist;
        if (file.Recipe.ContainsKey("image"))
        {
            var dims = read.Array(file.Recipe, "image", "recipe").Select((n, i) => read.Int(n, $"recipe.image[{i}]")).ToArray();
            if (dims is not [1 or 3, >= FeatureClassifier.MinSide and <= 4096, >= FeatureClassifier.MinSide and <= 4096])
                throw read.Fail($"metadata field 'recipe.image' is [{string.Join(", ", dims)}], not [C, H, W] with C 1 or 3 and sides from {FeatureClassifier.MinSide} to 4096");
            image = new ImageShape(dims[0], dims[1], dims[2]);
        }
        int classes = file.Recipe.ContainsKey("classes") ? read.Int(file.Recipe, "classes", "recipe") : 10;
        if (classes is < 2 or > 100_000)
            throw read.Fail($"metadata field 'recipe.classes' is {classes}, not from 2 to 100000");
        var classifier = new FeatureClassifier(recipe, image, classes, new Rng(recipe.Seed));
        State(classifier, dataFingerprint, []).Restore(file);
        var extra = file.Extra;
        return new FeatureNetwork(classifier, read.Double(extra, "testAccuracy", "extra"), path, FromCache: true,
            TimeSpan.FromSeconds(read.Double(extra, "trainingSeconds", "extra")));
    }
}
