namespace Scratch.Models.Data;

/// <summary>
/// MNIST (or any dataset in its layout, e.g. Fashion-MNIST) from a folder of the four standard
/// IDX files, raw or gzip. The bundled 10,000-digit sample lives in data/mnist-sample.
/// </summary>
public sealed class MnistDataset
{
    /// <summary>The bundled sample's folder, relative to the repository root or an output folder: what <see cref="DefaultDirectory"/> looks for.</summary>
    public const string SampleFolder = "data/mnist-sample";

    // For each file, the names accepted, in order of preference. Full MNIST calls its test split
    // t10k-*; the bundled sample calls it test-*. A raw file is preferred to its .gz twin because
    // people who unpack a download often keep both, and the raw one reads faster.
    private static readonly string[] TrainImages = Names("train-images-idx3-ubyte");
    private static readonly string[] TrainLabels = Names("train-labels-idx1-ubyte");
    private static readonly string[] TestImages = [.. Names("t10k-images-idx3-ubyte"), .. Names("test-images-idx3-ubyte")];
    private static readonly string[] TestLabels = [.. Names("t10k-labels-idx1-ubyte"), .. Names("test-labels-idx1-ubyte")];

    /// <summary>The folder the files were read from.</summary>
    public string Directory { get; }
    /// <summary>The training split (train-images/-labels): 60,000 images in full MNIST.</summary>
    public MnistSplit Train { get; }
    /// <summary>The test split (t10k-* or test-*): 10,000 images in full MNIST.</summary>
    public MnistSplit Test { get; }

    private MnistDataset(string directory, MnistSplit train, MnistSplit test)
    {
        Directory = directory;
        Train = train;
        Test = test;
    }

    /// <summary>Loads both splits from <paramref name="directory"/>; labels must be in 0..classCount-1.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the four files is missing (under any accepted name).</exception>
    /// <exception cref="IdxFormatException">A file is invalid, or the splits' image sizes differ.</exception>
    public static MnistDataset Load(string directory, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"MNIST folder {directory} does not exist");

        var train = MnistSplit.Load(Find(directory, TrainImages), Find(directory, TrainLabels), classCount);
        var test = MnistSplit.Load(Find(directory, TestImages), Find(directory, TestLabels), classCount);
        if (train.Rows != test.Rows || train.Cols != test.Cols)
            throw new IdxFormatException(directory, $"train images are {train.Rows}×{train.Cols} but test images are {test.Rows}×{test.Cols}");
        return new MnistDataset(directory, train, test);
    }

    /// <summary>
    /// The bundled sample: the first folder named data/mnist-sample found walking up from the
    /// program's folder, then from the current directory. A project that references the
    /// Scratch.Models package, and the CLI, get the sample copied into their output folder, so the
    /// first step finds it; tests run from bin/…/net10.0 deep inside the repository, so walking up
    /// finds the checkout they belong to.
    /// </summary>
    public static string DefaultDirectory()
    {
        string[] starts = [AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory()];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleFolder);
                if (System.IO.Directory.Exists(candidate))
                    return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"no {SampleFolder} folder found above {starts[0]} or {starts[1]}; pass the MNIST folder explicitly");
    }

    private static string[] Names(string stem) => [stem, stem + ".gz"];

    private static string Find(string directory, string[] names)
    {
        foreach (var name in names)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException(
            $"MNIST folder {directory} has none of the expected files: {string.Join(", ", names)}", Path.Combine(directory, names[0]));
    }
}
