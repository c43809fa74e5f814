namespace Scratch.Models.Data;

/// <summary>
/// Where a dataset comes from, told by what is there: a folder of MNIST-layout IDX files (full
/// MNIST, Fashion-MNIST, the bundled sample, Kaggle's copies), a folder of images in torchvision's
/// ImageFolder layout, or a NumPy .npy file; or, by name, the digits coloured as the AVAE paper
/// colours them ("colour-mnist", <see cref="ColourMnist"/>).
/// </summary>
public static class DataSource
{
    /// <summary>The bundled sample's folder, relative to the repository root or an output folder: what <see cref="SampleDirectory"/> looks for.</summary>
    public const string SampleFolder = "data/mnist-sample";

    /// <summary>
    /// Loads the dataset at <paramref name="path"/>: an IDX folder, then an .npy file, then an image folder.
    /// The name "colour-mnist" (or "color-mnist") is the bundled sample coloured under
    /// <see cref="ColourMnist.DefaultSeed"/>, and "colour-mnist:PATH" the IDX folder PATH coloured
    /// (<see cref="ColourMnist.Load"/>); the name comes first, so a folder called colour-mnist is reached as ./colour-mnist.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Nothing exists at the path.</exception>
    /// <exception cref="DataFormatException">What is there is none of the three, or cannot be used (the message names the file).</exception>
    public static ImageDataset Load(string path, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DataOptions();
        if (ColourMnist.IsName(path, out var colourFolder))
        {
            if (colourFolder is "")
                throw new DataFormatException(path, $"names no folder; write {ColourMnist.Name} for the bundled sample or {ColourMnist.Name}:PATH for an MNIST-layout IDX folder");
            return ColourMnist.Load(colourFolder ?? SampleDirectory(), options, ColourMnist.DefaultSeed, source: path);
        }
        if (Directory.Exists(path) && IdxFolder.LooksLikeIdxFolder(path))
        {
            var (train, test) = IdxFolder.Load(path);
            if (options.ImageSize is not null || options.Channels is not null)
                (train, test) = (ImageFit.All(train, options), ImageFit.All(test, options));
            var fingerprint = new Fingerprint("idx v1").AddOptions(options);
            foreach (var file in IdxFolder.Files(path)) fingerprint.AddFile(Path.GetFullPath(file), new FileInfo(file));
            return new ImageDataset(path, "idx", train, test, TestIsHoldout: false, fingerprint.Finish());
        }
        if (File.Exists(path))
        {
            if (IsNpy(path)) return NpyImages.Load(path, options);
            throw new DataFormatException(path, "is a file but not a .npy; --data takes a folder (MNIST-layout IDX files, or PNG/JPEG images) or a .npy file");
        }
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path} does not exist");
        if (ImageFolder.LooksLikeImageFolder(path)) return ImageFolder.Load(path, options);
        throw new DataFormatException(path, "holds neither MNIST-layout IDX files (train-images-idx3-ubyte[.gz], …) nor PNG/JPEG images (DIR/<class>/*.png, optionally under train/ and test/)");
    }

    /// <summary>
    /// Every image at <paramref name="path"/>, in file order, with no split: an IDX images file (raw
    /// or gzip), a .npy file, or an image folder. For scoring, encoding and reconstructing one's own images.
    /// </summary>
    /// <exception cref="DataFormatException">What is there cannot be used (the message names the file).</exception>
    public static LoadedImages LoadImages(string path, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DataOptions();
        if (File.Exists(path))
        {
            if (IsNpy(path)) return NpyImages.LoadAll(path, options);
            var images = IdxFolder.LoadUnlabelled(path);
            if (options.ImageSize is not null || options.Channels is not null) images = ImageFit.All(images, options);
            return new LoadedImages(path, images, Names: null);
        }
        if (Directory.Exists(path))
        {
            if (ImageFolder.LooksLikeImageFolder(path)) return ImageFolder.LoadAll(path, options);
            throw new DataFormatException(path, "holds no PNG or JPEG images");
        }
        throw new DirectoryNotFoundException($"{path} does not exist");
    }

    // A .npy starts with \x93NUMPY whatever its name; a file named .npy that does not is refused by the reader, naming it.
    private static bool IsNpy(string path)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return true;
        Span<byte> magic = stackalloc byte[6];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 6, throwOnEndOfStream: false) == 6 && magic.SequenceEqual("\x93NUMPY"u8);
    }

    /// <summary>
    /// The bundled sample: the first folder named data/mnist-sample found walking up from the
    /// program's folder, then from the current directory. A project that references the
    /// Scratch.Models package, and the CLI, get the sample copied into their output folder, so the
    /// first step finds it; tests run from bin/…/net10.0 deep inside the repository, so walking up
    /// finds the checkout they belong to.
    /// </summary>
    public static string SampleDirectory()
    {
        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleFolder);
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"no {SampleFolder} folder found above {starts[0]} or {starts[1]}; pass the data folder explicitly");
    }

    /// <summary>The bundled 10,000-digit sample (8,000 train, 2,000 test).</summary>
    public static ImageDataset Sample() => Load(SampleDirectory());
}
