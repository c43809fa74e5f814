using System.Text.Json.Nodes;
using Scratch.Models.Files;

namespace Scratch.Models.Data;

/// <summary>
/// Decoded image folders kept on disk, so a second run reads one file instead of decoding
/// thousands. Keyed by the folder's fingerprint (its files' names, sizes and write times and the
/// options that change the bytes): <c>&lt;fingerprint&gt;.images.npy</c>, uint8 (N, C, H, W), the
/// training images then the test images; and <c>&lt;fingerprint&gt;.json</c>, the counts, labels
/// and class names. The .json is written last, so it marks a complete entry.
/// </summary>
/// <remarks>
/// A cache entry that cannot be read or does not agree with itself is reported in the log and
/// ignored; the caller decodes again and overwrites it. Failing to write an entry is reported and
/// does not fail the load: the cache only saves time.
/// </remarks>
internal static class ImageCache
{
    private const string Format = "scratch image-folder cache";
    private const int Version = 1;

    /// <summary>The .json of <paramref name="fingerprint"/>'s entry.</summary>
    public static string JsonPath(string cacheFolder, string fingerprint) => Path.Combine(cacheFolder, fingerprint + ".json");

    /// <summary>The .npy of <paramref name="fingerprint"/>'s entry.</summary>
    public static string ImagesPath(string cacheFolder, string fingerprint) => Path.Combine(cacheFolder, fingerprint + ".images.npy");

    /// <summary>(train, test) from the entry of <paramref name="fingerprint"/>; null when there is none or it is damaged (then logged).</summary>
    public static (ImageSet Train, ImageSet Test)? TryLoad(string cacheFolder, string fingerprint, Action<string>? log)
    {
        string json = JsonPath(cacheFolder, fingerprint), images = ImagesPath(cacheFolder, fingerprint);
        if (!File.Exists(json)) return null;
        try
        {
            var entry = Read(json, images);
            log?.Invoke($"loaded {entry.Train.Count + entry.Test.Count:N0} images from the cache {images}");
            return entry;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any failure here (bad JSON, a short .npy, counts that disagree) means the same thing: rebuild.
            log?.Invoke($"ignoring the damaged cache {json} ({e.Message}); decoding the images again");
            return null;
        }
    }

    /// <summary>Writes the entry of <paramref name="fingerprint"/>; a failure is logged, not thrown.</summary>
    public static void Save(string cacheFolder, string fingerprint, string source, ImageSet train, ImageSet test, Action<string>? log)
    {
        string json = JsonPath(cacheFolder, fingerprint), images = ImagesPath(cacheFolder, fingerprint);
        try
        {
            Directory.CreateDirectory(cacheFolder);
            var (c, h, w) = train.Shape;
            NpyFile.WriteUInt8(images, [train.Count + test.Count, c, h, w], [train.Pixels, test.Pixels]);
            var entry = new JsonObject
            {
                ["format"] = Format,
                ["version"] = Version,
                ["source"] = Path.GetFullPath(source),
                ["shape"] = new JsonArray(c, h, w),
                ["train"] = train.Count,
                ["test"] = test.Count,
                ["labelled"] = train.IsLabelled,
                ["classNames"] = new JsonArray(train.ClassNames.Select(n => (JsonNode?)n).ToArray()),
                ["labels"] = new JsonArray(train.Labels.Concat(test.Labels).Select(l => (JsonNode?)l).ToArray()),
            };
            AtomicFile.WriteAllText(json, entry.ToJsonString());
            log?.Invoke($"saved {train.Count + test.Count:N0} decoded images to the cache {images}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"could not write the cache {images} ({e.Message}); the images are loaded, the next run decodes them again");
        }
    }

    private static (ImageSet Train, ImageSet Test) Read(string jsonPath, string imagesPath)
    {
        var entry = JsonNode.Parse(File.ReadAllText(jsonPath)) as JsonObject ?? throw new InvalidDataException("not a JSON object");
        if (entry["format"]?.GetValue<string>() != Format || entry["version"]?.GetValue<int>() != Version)
            throw new InvalidDataException($"not a version {Version} {Format}");
        int trainCount = Get<int>(entry, "train"), testCount = Get<int>(entry, "test");
        var shape = Get<JsonArray>(entry, "shape").Select(n => n!.GetValue<int>()).ToArray();
        bool labelled = Get<bool>(entry, "labelled");
        var classNames = Get<JsonArray>(entry, "classNames").Select(n => n!.GetValue<string>()).ToArray();
        var labels = Get<JsonArray>(entry, "labels").Select(n => n!.GetValue<int>()).ToArray();

        var array = NpyFile.Read(imagesPath);
        int[] expected = [trainCount + testCount, .. shape];
        if (array.DType != NpyDType.UInt8 || !array.Shape.SequenceEqual(expected))
            throw new InvalidDataException($"{imagesPath} holds ({string.Join(", ", array.Shape)}), the index says ({string.Join(", ", expected)})");
        if (labels.Length != trainCount + testCount)
            throw new InvalidDataException($"{labels.Length} labels for {trainCount + testCount} images");

        var imageShape = new ImageShape(shape[0], shape[1], shape[2]);
        int trainBytes = trainCount * imageShape.Pixels;
        var pixels = array.UInt8!;
        // The ImageSet constructor checks every label against the classes.
        var train = new ImageSet(imageShape, pixels[..trainBytes], labelled ? labels[..trainCount] : null, labelled ? classNames : null);
        var test = new ImageSet(imageShape, pixels[trainBytes..], labelled ? labels[trainCount..] : null, labelled ? classNames : null);
        return (train, test);
    }

    private static T Get<T>(JsonObject entry, string key)
    {
        var node = entry[key] ?? throw new InvalidDataException($"no '{key}'");
        return node is T typed ? typed : node.GetValue<T>();
    }
}
