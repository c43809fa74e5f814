namespace Scratch.Models.Data;

/// <summary>
/// A folder of PNG and JPEG files as a dataset, by torchvision's ImageFolder convention:
/// <c>DIR/&lt;class&gt;/*.png</c>, or <c>DIR/train/&lt;class&gt;/…</c> and <c>DIR/test/&lt;class&gt;/…</c>,
/// or images directly in DIR (unlabelled). See <see cref="FolderLayout"/> for the rules.
/// </summary>
/// <remarks>
/// Every image is brought to one shape (<see cref="DataOptions.ImageSize"/> and
/// <see cref="DataOptions.Channels"/>, or the size they all share and colour if any file has it)
/// and kept as bytes. Without a test/ folder a seeded, per-class share of the images
/// (<see cref="DataOptions.TestFraction"/>) is held out as the test split. With
/// <see cref="DataOptions.CacheFolder"/> the decoded images are saved there, and a later load of
/// the same files with the same options reads them back instead of decoding.
/// </remarks>
public static class ImageFolder
{
    /// <summary>Loads the images of <paramref name="folder"/> with their classes, and splits them.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    /// <exception cref="DataFormatException">No images, a class folder without images, an unusable image (unless <see cref="DataOptions.SkipBad"/>), images of several sizes without <see cref="DataOptions.ImageSize"/>, or too few images to hold out a test split.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ImageDataset Load(string folder, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        DataOptionsCheck.Check(options);
        var layout = FolderLayout.Find(folder);
        string fingerprint = Fingerprint(layout, options);
        bool holdout = layout.Test == null;

        if (options.CacheFolder is { } cache && ImageCache.TryLoad(cache, fingerprint, options.Log) is var (cachedTrain, cachedTest))
            return new ImageDataset(folder, "image folder", cachedTrain, cachedTest, holdout, fingerprint);

        var files = layout.Train.Files.Concat(layout.Test?.Files ?? []).ToList();
        var allLabels = layout.Train.Labels.Concat(layout.Test?.Labels ?? []).ToArray();
        var decoded = FolderDecoder.Decode(folder, files, options);
        var labels = decoded.Kept.Select(i => allLabels[i]).ToArray();
        var classes = layout.Train.ClassNames;
        var all = new ImageSet(decoded.Shape, decoded.Pixels, layout.Train.IsLabelled ? labels : null, layout.Train.IsLabelled ? classes : null);

        int trainFiles = layout.Train.Files.Count;
        var (train, test) = holdout
            ? Holdout.Split(labels, options.TestFraction, options.Seed, folder)
            : (Where(decoded.Kept, i => i < trainFiles), Where(decoded.Kept, i => i >= trainFiles));
        if (train.Length == 0 || test.Length == 0)
            throw new DataFormatException(folder, $"has no usable images in its {(train.Length == 0 ? "train" : "test")}/ folder");
        if (holdout)
            options.Log?.Invoke($"{folder} has no test/ folder: {test.Length:N0} of {labels.Length:N0} images held out as the test split ({options.TestFraction:P0} of each class, seed {options.Seed})");

        var dataset = new ImageDataset(folder, "image folder", all.Subset(train), all.Subset(test), holdout, fingerprint);
        if (options.CacheFolder is { } folderForCache)
            ImageCache.Save(folderForCache, fingerprint, folder, dataset.Train, dataset.Test, options.Log);
        return dataset;
    }

    /// <summary>
    /// Every image of <paramref name="folder"/> (train/ then test/ when it has them) in load order,
    /// with no split and no cache: for scoring, encoding or reconstructing one's own images. Each
    /// image's name is its path relative to the folder; labels when the images sit in class folders.
    /// </summary>
    /// <exception cref="DataFormatException">As <see cref="Load"/>, but a folder of one image is fine.</exception>
    public static LoadedImages LoadAll(string folder, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        DataOptionsCheck.Check(options);
        var layout = FolderLayout.Find(folder);
        var files = layout.Train.Files.Concat(layout.Test?.Files ?? []).ToList();
        var allLabels = layout.Train.Labels.Concat(layout.Test?.Labels ?? []).ToArray();
        var decoded = FolderDecoder.Decode(folder, files, options);
        var labelled = layout.Train.IsLabelled;
        var images = new ImageSet(decoded.Shape, decoded.Pixels, labelled ? decoded.Kept.Select(i => allLabels[i]).ToArray() : null,
            labelled ? layout.Train.ClassNames : null);
        var names = decoded.Kept.Select(i => Path.GetRelativePath(folder, files[i]).Replace('\\', '/')).ToArray();
        return new LoadedImages(folder, images, names);
    }

    /// <summary>Whether <paramref name="folder"/> holds PNG or JPEG files directly, in class folders, or in train/ or test/ class folders.</summary>
    public static bool LooksLikeImageFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return FolderLayout.LooksLikeImageFolder(folder);
    }

    // Positions (into the kept images) of those whose file index passes `test`.
    private static int[] Where(int[] kept, Func<int, bool> test) =>
        Enumerable.Range(0, kept.Length).Where(k => test(kept[k])).ToArray();

    // The files' names relative to the folder (so a copied folder keeps its cache), sizes and
    // write times, and the options: one stat per file, no file opened.
    private static string Fingerprint(FolderLayout layout, DataOptions options)
    {
        var fingerprint = new Fingerprint("image folder v1").AddOptions(options);
        foreach (var file in layout.Train.Files.Concat(layout.Test?.Files ?? []))
            fingerprint.AddFile(Path.GetRelativePath(layout.Folder, file).Replace('\\', '/'), new FileInfo(file));
        return fingerprint.Finish();
    }
}
