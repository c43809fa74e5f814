using System.Security.Cryptography;
using System.Text;

namespace Scratch.Models.Data;

/// <summary>
/// Where a dataset comes from, told by what is there: a folder of MNIST-layout IDX files (full
/// MNIST, Fashion-MNIST, the bundled sample, Kaggle's copies), a folder of images in torchvision's
/// ImageFolder layout, or a NumPy .npy file.
/// </summary>
public static class DataSource
{
    /// <summary>The bundled sample's folder, relative to the repository root or an output folder: what <see cref="SampleDirectory"/> looks for.</summary>
    public const string SampleFolder = "data/mnist-sample";

    /// <summary>
    /// Loads the dataset at <paramref name="path"/>: an IDX folder, then an .npy file, then an image folder.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Nothing exists at the path.</exception>
    /// <exception cref="DataFormatException">What is there is none of the three, or cannot be used (the message names the file).</exception>
    public static ImageDataset Load(string path, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DataOptions();
        if (Directory.Exists(path) && IdxFolder.LooksLikeIdxFolder(path))
        {
            var (train, test) = IdxFolder.Load(path);
            var fingerprint = Fingerprint(IdxFolder.Files(path), "idx");
            return new ImageDataset(path, "idx", train, test, TestIsHoldout: false, fingerprint);
        }
        if (File.Exists(path))
            throw new DataFormatException(path, "is a file; --data takes a folder of MNIST-layout IDX files");
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"data folder {path} does not exist");
        throw new DataFormatException(path, "holds no MNIST-layout IDX files (train-images-idx3-ubyte[.gz] and the others)");
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
            return new LoadedImages(path, IdxFolder.LoadUnlabelled(path), Names: null);
        throw new DirectoryNotFoundException($"{path} does not exist");
    }

    /// <summary>
    /// A short hex digest of the files' full paths, sizes and last-write times and of <paramref name="options"/>:
    /// two loads with the same fingerprint read the same images. Costs a stat per file, no reading.
    /// </summary>
    public static string Fingerprint(IEnumerable<string> files, string options)
    {
        var text = new StringBuilder(options).Append('\n');
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            text.Append(info.FullName).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
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
