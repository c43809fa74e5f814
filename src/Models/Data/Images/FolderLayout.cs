namespace Scratch.Models.Data;

/// <summary>The image files of one split, in load order, with their classes.</summary>
/// <param name="Folder">The folder they were found in (for messages).</param>
/// <param name="Files">Full paths, class by class (classes in ordinal order of name), each class's files in ordinal order of their path.</param>
/// <param name="Labels">(Files.Count) class of each file; all 0 when unlabelled.</param>
/// <param name="ClassNames">The class folders' names by label; empty when unlabelled.</param>
internal sealed record FolderSplit(string Folder, IReadOnlyList<string> Files, int[] Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Whether the images sit in class folders.</summary>
    public bool IsLabelled => ClassNames.Count > 0;
}

/// <summary>
/// Where the images of an image folder are, by torchvision's ImageFolder convention:
/// <c>DIR/&lt;class&gt;/**/*.png|jpg|jpeg</c> (classes sorted by name → labels 0..K−1), or
/// <c>DIR/train/&lt;class&gt;/…</c> with an optional <c>DIR/test/&lt;class&gt;/…</c>, or image files
/// directly in DIR (one unlabelled set; likewise directly in train/ and test/). Only directory
/// listings: no file is opened here.
/// </summary>
/// <remarks>
/// Hidden files and folders (a leading '.', e.g. .ipynb_checkpoints) are skipped, and files whose
/// extension is not an image's (a README, a labels.csv) are ignored. Class folders are searched to
/// any depth, as torchvision walks them; an unlabelled folder only at its top level.
/// </remarks>
internal sealed record FolderLayout(string Folder, FolderSplit Train, FolderSplit? Test)
{
    private const string TrainFolder = "train", TestFolder = "test";

    // Skips hidden and system entries; names compared ordinally (not by culture), so the class order is the same everywhere.
    private static readonly EnumerationOptions TopLevel = new() { MatchCasing = MatchCasing.CaseSensitive };
    private static readonly EnumerationOptions Recursive = new() { MatchCasing = MatchCasing.CaseSensitive, RecurseSubdirectories = true };

    /// <summary>The layout of <paramref name="folder"/>.</summary>
    /// <exception cref="DataFormatException">No images, a class folder without images, loose images beside class folders, or train/ and test/ with different classes.</exception>
    public static FolderLayout Find(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder}: folder not found");
        string train = Path.Combine(folder, TrainFolder), test = Path.Combine(folder, TestFolder);
        if (!Directory.Exists(train))
        {
            if (Directory.Exists(test))
                throw new DataFormatException(folder, "has a test/ folder but no train/ folder beside it");
            return new FolderLayout(folder, Split(folder), null);
        }

        var others = SubFolders(folder).Where(d => Path.GetFileName(d) is not (TrainFolder or TestFolder) && HasImages(d, depth: 8)).ToList();
        if (others.Count > 0)
            throw new DataFormatException(folder, $"has train/ and also images in {Path.GetFileName(others[0])}/; put every class folder under train/ (and test/)");
        var trainSplit = Split(train);
        if (!Directory.Exists(test))
            return new FolderLayout(folder, trainSplit, null);
        var testSplit = Split(test);
        CheckSameClasses(trainSplit, testSplit);
        return new FolderLayout(folder, trainSplit, testSplit);
    }

    /// <summary>Whether <paramref name="folder"/> holds image files directly, in class folders, or in train/ or test/ class folders.</summary>
    public static bool LooksLikeImageFolder(string folder) => Directory.Exists(folder) && HasImages(folder, depth: 2);

    /// <summary>Every file that may be an image (an image extension, not hidden) under <paramref name="folder"/>, at any depth: the fingerprint's input.</summary>
    public static IEnumerable<FileInfo> Candidates(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", Recursive).Where(f => ImageDecoder.HasImageExtension(f.Name));

    // One split: class folders, or loose images; not both.
    private static FolderSplit Split(string folder)
    {
        var loose = ImageFiles(folder, TopLevel);
        var classes = SubFolders(folder).Select(Path.GetFileName).Cast<string>().Order(StringComparer.Ordinal).ToList();
        var classFiles = classes.Select(c => ImageFiles(Path.Combine(folder, c), Recursive)).ToList();
        // A subfolder without images is not a class when there are loose images (a folder of photos
        // may sit beside an empty "thumbnails/"); among class folders, it is a mistake worth naming.
        if (loose.Count > 0)
        {
            int withImages = classFiles.FindIndex(f => f.Count > 0);
            if (withImages >= 0)
                throw new DataFormatException(folder, $"holds both loose images ({Path.GetFileName(loose[0])}) and class folders ({classes[withImages]}/); put every image in its class folder");
            return new FolderSplit(folder, loose, new int[loose.Count], []);
        }
        if (classes.Count == 0)
            throw new DataFormatException(folder, $"holds no images ({string.Join(", ", ImageDecoder.Extensions)}) and no class folders");
        int empty = classFiles.FindIndex(f => f.Count == 0);
        if (empty >= 0)
            throw new DataFormatException(Path.Combine(folder, classes[empty]), $"class folder '{classes[empty]}' holds no images ({string.Join(", ", ImageDecoder.Extensions)})");

        var files = classFiles.SelectMany(f => f).ToList();
        var labels = classFiles.SelectMany((f, label) => Enumerable.Repeat(label, f.Count)).ToArray();
        return new FolderSplit(folder, files, labels, classes);
    }

    private static void CheckSameClasses(FolderSplit train, FolderSplit test)
    {
        if (train.IsLabelled != test.IsLabelled)
            throw new DataFormatException(test.Folder, $"{(test.IsLabelled ? "has class folders" : "has loose images")} but {train.Folder} {(train.IsLabelled ? "has class folders" : "has loose images")}; both must be laid out alike");
        var extra = test.ClassNames.Except(train.ClassNames, StringComparer.Ordinal).FirstOrDefault();
        if (extra != null)
            throw new DataFormatException(Path.Combine(test.Folder, extra), $"class '{extra}' of test/ has no folder in train/");
        var missing = train.ClassNames.Except(test.ClassNames, StringComparer.Ordinal).FirstOrDefault();
        if (missing != null)
            throw new DataFormatException(test.Folder, $"has no folder for class '{missing}' of train/; train/ and test/ need the same classes");
    }

    private static List<string> ImageFiles(string folder, EnumerationOptions options) =>
        Directory.EnumerateFiles(folder, "*", options).Where(ImageDecoder.HasImageExtension).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> SubFolders(string folder) => Directory.EnumerateDirectories(folder, "*", TopLevel);

    private static bool HasImages(string folder, int depth) =>
        Directory.EnumerateFiles(folder, "*", TopLevel).Any(ImageDecoder.HasImageExtension)
        || (depth > 0 && SubFolders(folder).Any(d => HasImages(d, depth - 1)));
}
