namespace Scratch.Models.Data;

/// <summary>
/// MNIST (or any dataset in its layout: Fashion-MNIST, KMNIST) from a folder of the four IDX files,
/// raw or gzip, under the names the original site, the bundled sample and Kaggle's copies use.
/// </summary>
public static class IdxFolder
{
    // For each file, the stems accepted, in order of preference; each may end in .gz. Full MNIST
    // calls its test split t10k-*, the bundled sample test-*, and Kaggle's copies write the last
    // hyphen as a dot (train-images.idx3-ubyte). A raw file is preferred to its .gz twin because
    // people who unpack a download often keep both, and the raw one reads faster.
    private static readonly string[] TrainImages = Stems("train-images", "idx3");
    private static readonly string[] TrainLabels = Stems("train-labels", "idx1");
    private static readonly string[] TestImages = [.. Stems("t10k-images", "idx3"), .. Stems("test-images", "idx3")];
    private static readonly string[] TestLabels = [.. Stems("t10k-labels", "idx1"), .. Stems("test-labels", "idx1")];

    /// <summary>Whether <paramref name="directory"/> holds a training images file under any accepted name.</summary>
    public static bool LooksLikeIdxFolder(string directory) => TryFind(directory, TrainImages) != null;

    /// <summary>Loads both splits from <paramref name="directory"/>; labels must be in 0..classCount − 1.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the four files is missing (under any accepted name).</exception>
    /// <exception cref="IdxFormatException">A file is invalid, or the splits' image sizes differ.</exception>
    public static (ImageSet Train, ImageSet Test) Load(string directory, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"data folder {directory} does not exist");

        var train = LoadSplit(Find(directory, TrainImages), Find(directory, TrainLabels), classCount);
        var test = LoadSplit(Find(directory, TestImages), Find(directory, TestLabels), classCount);
        if (train.Shape != test.Shape)
            throw new IdxFormatException(directory, $"train images are {train.Rows}×{train.Cols} but test images are {test.Rows}×{test.Cols}");
        return (train, test);
    }

    /// <summary>The four files <see cref="Load"/> reads, for a fingerprint of the folder.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        [Find(directory, TrainImages), Find(directory, TrainLabels), Find(directory, TestImages), Find(directory, TestLabels)];

    /// <summary>An images file and its labels file, checked to pair up: (N, 1, rows, cols) bytes and N labels.</summary>
    /// <exception cref="IdxFormatException">A file is not valid IDX, a label is outside 0..classCount − 1, or the counts differ.</exception>
    public static ImageSet LoadSplit(string imagesPath, string labelsPath, int classCount = 10)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath, classCount);
        if (labels.Dims[0] != images.Dims[0])
            throw new IdxFormatException(labelsPath, $"holds {labels.Dims[0]} labels but {imagesPath} holds {images.Dims[0]} images");
        var names = Enumerable.Range(0, classCount).Select(c => c.ToString()).ToArray();
        return new ImageSet(new ImageShape(1, images.Dims[1], images.Dims[2]), images.Data, labels.Data.Select(b => (int)b).ToArray(), names);
    }

    /// <summary>An images file with no labels (a user's own images, to be scored).</summary>
    public static ImageSet LoadUnlabelled(string imagesPath)
    {
        var images = IdxReader.ReadImages(imagesPath);
        return new ImageSet(new ImageShape(1, images.Dims[1], images.Dims[2]), images.Data, labels: null);
    }

    private static string[] Stems(string stem, string kind) =>
        [$"{stem}-{kind}-ubyte", $"{stem}-{kind}-ubyte.gz", $"{stem}.{kind}-ubyte", $"{stem}.{kind}-ubyte.gz"];

    private static string? TryFind(string directory, string[] names) =>
        names.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    private static string Find(string directory, string[] names) =>
        TryFind(directory, names) ?? throw new FileNotFoundException(
            $"data folder {directory} has none of the expected files: {string.Join(", ", names)}", Path.Combine(directory, names[0]));
}
