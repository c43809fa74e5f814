using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class ImageFolderTests
{
    internal static void Put(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    internal static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "Fixtures", name);

    // Class folder `name` with `count` 4×4 grey images; image k of class c is filled with 10·c + k.
    internal static void Class(string root, string name, int classValue, int count, string extension = ".png")
    {
        for (int k = 0; k < count; k++)
            Put(root, Path.Combine(name, $"img{k}{extension}"), TestPng.Flat(4, 4, 10 * classValue + k));
    }

    private static (DataOptions Options, List<string> Log) Logged(DataOptions? options = null)
    {
        var log = new List<string>();
        return ((options ?? new DataOptions()) with { Log = log.Add }, log);
    }

    private static IEnumerable<(int Label, byte Value)> Images(ImageSet set) =>
        Enumerable.Range(0, set.Count).Select(i => (set.Labels[i], set.Image(i)[0]));

    [Test]
    public void ClassFolders_AreLabelledInOrdinalOrder_WithAStratifiedHoldout()
    {
        using var dir = new TempFolder();
        // Ordinal order: "B" < "a" < "b". Extensions in any case.
        Class(dir.Path, "b", 3, 5, ".PNG");
        Class(dir.Path, "a", 2, 5);
        Class(dir.Path, "B", 1, 5, ".Png");
        Put(dir.Path, "a/notes.txt", "not an image"u8.ToArray()); // ignored: not an image extension

        var set = ImageFolder.Load(dir.Path, new DataOptions());

        Assert.That(set.Format, Is.EqualTo("image folder"));
        Assert.That(set.ClassNames, Is.EqualTo(new[] { "B", "a", "b" }));
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(1, 4, 4)));
        Assert.That(set.TestIsHoldout, Is.True);
        // 20% of each class of 5: one image per class held out.
        Assert.That((set.Train.Count, set.Test.Count), Is.EqualTo((12, 3)));
        Assert.That(Images(set.Test).Select(t => t.Label), Is.EqualTo(new[] { 0, 1, 2 }));
        // Class c (label c − 1 here) holds values 10c..10c+4.
        foreach (var (label, value) in Images(set.Train).Concat(Images(set.Test)))
            Assert.That(value / 10, Is.EqualTo(label + 1));
        Assert.That(Images(set.Train).Concat(Images(set.Test)).Select(t => (int)t.Value).Order(),
            Is.EqualTo(new[] { 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 30, 31, 32, 33, 34 }));
    }

    [Test]
    public void TrainAndTestFolders_AreTheSplits()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "train/cat", 1, 3);
        Class(dir.Path, "train/dog", 2, 4);
        Class(dir.Path, "test/cat", 5, 1);
        Class(dir.Path, "test/dog", 6, 2);
        var set = ImageFolder.Load(dir.Path, new DataOptions());
        Assert.That(set.TestIsHoldout, Is.False);
        Assert.That(set.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(Images(set.Train), Is.EqualTo(new (int, byte)[] { (0, 10), (0, 11), (0, 12), (1, 20), (1, 21), (1, 22), (1, 23) }));
        Assert.That(Images(set.Test), Is.EqualTo(new (int, byte)[] { (0, 50), (1, 60), (1, 61) }));
    }

    [Test]
    public void TestClassMissingFromTrain_IsNamed()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "train/cat", 1, 2);
        Class(dir.Path, "test/cat", 1, 1);
        Class(dir.Path, "test/fox", 2, 1);
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Is.EqualTo($"{Path.Combine(dir.Path, "test", "fox")}: class 'fox' of test/ has no folder in train/"));
    }

    [Test]
    public void TrainClassMissingFromTest_IsNamed()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "train/cat", 1, 2);
        Class(dir.Path, "train/dog", 2, 2);
        Class(dir.Path, "test/cat", 1, 1);
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Does.Contain("has no folder for class 'dog' of train/"));
    }

    [Test]
    public void LooseImages_AreOneUnlabelledSet()
    {
        using var dir = new TempFolder();
        for (int k = 0; k < 10; k++) Put(dir.Path, $"{k:D2}.png", TestPng.Flat(3, 5, k));
        Directory.CreateDirectory(Path.Combine(dir.Path, "thumbnails")); // an empty subfolder is not a class
        var set = ImageFolder.Load(dir.Path, new DataOptions());
        Assert.That(set.IsLabelled, Is.False);
        Assert.That(set.ClassNames, Is.Empty);
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(1, 5, 3)));
        Assert.That((set.Train.Count, set.Test.Count), Is.EqualTo((8, 2)));
    }

    [Test]
    public void LooseImagesBesideClassFolders_AreRefused()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "cat", 1, 2);
        Put(dir.Path, "stray.png", TestPng.Flat(4, 4));
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Does.Contain("holds both loose images (stray.png) and class folders (cat/)"));
    }

    [Test]
    public void HiddenFolders_AreSkipped()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "cat", 1, 3);
        Class(dir.Path, "dog", 2, 3);
        Class(dir.Path, ".ipynb_checkpoints", 9, 2);
        Put(dir.Path, "cat/.hidden.png", "junk"u8.ToArray());
        var set = ImageFolder.Load(dir.Path, new DataOptions());
        Assert.That(set.ClassNames, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(set.Train.Count + set.Test.Count, Is.EqualTo(6));
    }

    [Test]
    public void NoImages_IsRefusedNamingTheFolder()
    {
        using var dir = new TempFolder();
        Put(dir.Path, "README.txt", "hello"u8.ToArray());
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Is.EqualTo($"{dir.Path}: holds no images (.png, .jpg, .jpeg) and no class folders"));
    }

    [Test]
    public void EmptyClassFolder_IsRefusedNamingIt()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "cat", 1, 2);
        Put(dir.Path, "dog/readme.md", "no pictures"u8.ToArray());
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Is.EqualTo($"{Path.Combine(dir.Path, "dog")}: class folder 'dog' holds no images (.png, .jpg, .jpeg)"));
    }

    [Test]
    public void MissingFolder_IsDirectoryNotFound()
    {
        using var dir = new TempFolder();
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(dir.File("nowhere"), new DataOptions()));
    }

    [Test]
    public void MixedSizes_WithoutImageSize_ListsTheSizesAndCounts()
    {
        using var dir = new TempFolder();
        for (int k = 0; k < 3; k++) Put(dir.Path, $"a{k}.png", TestPng.Flat(4, 4));
        for (int k = 0; k < 2; k++) Put(dir.Path, $"b{k}.png", TestPng.Flat(5, 3)); // width 5, height 3
        Put(dir.Path, "c.png", TestPng.Flat(6, 6));
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Is.EqualTo($"{dir.Path}: images of 3 sizes: 4×4 (3), 3×5 (2), 6×6 (1); pass --image-size H[xW] (DataOptions.ImageSize) to bring them to one"));

        var set = ImageFolder.Load(dir.Path, new DataOptions { ImageSize = (2, 2) });
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(1, 2, 2)));
        Assert.That(set.Train.Pixels.Concat(set.Test.Pixels), Is.All.EqualTo(128));
    }

    [Test]
    public void Channels_AreThreeIfAnyFileHasColour_UnlessAsked()
    {
        using var dir = new TempFolder();
        for (int k = 0; k < 4; k++) Put(dir.Path, $"g{k}.png", TestPng.Flat(2, 2, 100));
        Put(dir.Path, "rgb.png", TestPng.FlatRgb(2, 2, 200, 100, 50));

        var colour = ImageFolder.Load(dir.Path, new DataOptions());
        Assert.That(colour.Shape, Is.EqualTo(new ImageShape(3, 2, 2)));
        var images = Enumerable.Range(0, colour.Train.Count).Select(i => colour.Train.Image(i).ToArray())
            .Concat(Enumerable.Range(0, colour.Test.Count).Select(i => colour.Test.Image(i).ToArray())).ToList();
        Assert.That(images.Count(i => i.All(v => v == 100)), Is.EqualTo(4)); // grey repeated in R, G, B
        Assert.That(images.Single(i => i[0] == 200), Is.EqualTo(new byte[] { 200, 200, 200, 200, 100, 100, 100, 100, 50, 50, 50, 50 }));

        var grey = ImageFolder.Load(dir.Path, new DataOptions { Channels = 1 });
        Assert.That(grey.Shape, Is.EqualTo(new ImageShape(1, 2, 2)));
        Assert.That(grey.Train.Pixels.Concat(grey.Test.Pixels).Distinct().Order(), Is.EqualTo(new byte[] { 100, 124 })); // 124 = BT.601 luma of (200, 100, 50)
    }

    [Test]
    public void JpegsAndPngs_Together_WithImageSize()
    {
        using var dir = new TempFolder();
        Put(dir.Path, "x/photo.JPG", File.ReadAllBytes(Fixture("quadrants-baseline.jpg")));
        Put(dir.Path, "x/photo2.jpeg", File.ReadAllBytes(Fixture("quadrants-progressive.jpg")));
        Put(dir.Path, "y/flat.png", TestPng.FlatRgb(4, 4, 30, 200, 60));
        Put(dir.Path, "y/flat2.png", TestPng.FlatRgb(4, 4, 30, 200, 60));
        var set = ImageFolder.Load(dir.Path, new DataOptions { ImageSize = (2, 2) });
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(3, 2, 2)));
        var photo = set.Train.Labels[0] == 0 ? set.Train.Image(0).ToArray() : set.Test.Image(0).ToArray();
        // 16×16 → 2×2: each output pixel is one quadrant's mean; red channel: 220, 30, 40, 128.
        Assert.That(photo[..4].Select(v => (int)v), Is.EqualTo(new[] { 220, 30, 40, 128 }).Within(4));
    }

    [Test]
    public void BadImage_IsRefusedNamingIt_UnlessSkipBad()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "cat", 1, 4);
        Class(dir.Path, "dog", 2, 4);
        Put(dir.Path, "cat/broken.png", TestPng.Flat(4, 4)[..^20]); // its header is whole; its image data is cut
        Put(dir.Path, "dog/text.png", "I am text"u8.ToArray());
        Put(dir.Path, "dog/empty.jpg", []);

        // Headers are read first, so the first file with a bad header is reported before a file
        // whose header is fine but whose data is cut short.
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Is.EqualTo($"{Path.Combine(dir.Path, "dog", "empty.jpg")}: is empty (0 bytes)"));

        var (options, log) = Logged(new DataOptions { SkipBad = true });
        var set = ImageFolder.Load(dir.Path, options);
        Assert.That(set.Train.Count + set.Test.Count, Is.EqualTo(8));
        var skipped = log.Single(l => l.StartsWith("skipped"));
        Assert.That(skipped, Does.StartWith($"skipped 3 files that are not usable images (first: {Path.Combine(dir.Path, "cat", "broken.png")}: "));
        Assert.That(log.Any(l => l.Contains("images/s")), Is.True);
    }

    [Test]
    public void EveryImageBad_WithSkipBad_IsStillAnError()
    {
        using var dir = new TempFolder();
        Put(dir.Path, "a.png", "x"u8.ToArray());
        Put(dir.Path, "b.png", "y"u8.ToArray());
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions { SkipBad = true }))!;
        Assert.That(e.Message, Does.Contain("none of its 2 image files is usable"));
    }

    [Test]
    public void TooFewImages_ForAHoldout_IsRefused()
    {
        using var dir = new TempFolder();
        Put(dir.Path, "only.png", TestPng.Flat(2, 2));
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir.Path, new DataOptions()))!;
        Assert.That(e.Message, Does.Contain("too few to hold out a test split"));
    }

    [Test]
    public void SmallClasses_KeepOneImageInTraining()
    {
        using var dir = new TempFolder();
        Class(dir.Path, "a", 1, 1);
        Class(dir.Path, "b", 2, 2);
        Class(dir.Path, "c", 3, 10);
        var set = ImageFolder.Load(dir.Path, new DataOptions());
        // round(0.2·1) = 0, round(0.2·2) = 0, round(0.2·10) = 2.
        Assert.That(Images(set.Test).Select(t => t.Label), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(Images(set.Train).Select(t => t.Label).Distinct(), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void Loading_Twice_GivesTheSameBytes()
    {
        using var dir = new TempFolder();
        for (int c = 0; c < 3; c++) Class(dir.Path, $"c{c}", c, 7);
        var first = ImageFolder.Load(dir.Path, new DataOptions { ImageSize = (3, 3) });
        var second = ImageFolder.Load(dir.Path, new DataOptions { ImageSize = (3, 3) });
        Assert.That(second.Train.Pixels, Is.EqualTo(first.Train.Pixels));
        Assert.That(second.Test.Labels, Is.EqualTo(first.Test.Labels));
        Assert.That(second.Fingerprint, Is.EqualTo(first.Fingerprint));
    }

    [Test]
    public void LooksLikeImageFolder_ForEachLayout()
    {
        using var dir = new TempFolder();
        string flat = dir.File("flat"), classes = dir.File("classes"), split = dir.File("split"), idx = dir.File("idx"), empty = dir.File("empty");
        Put(flat, "a.png", TestPng.Flat(2, 2));
        Class(classes, "cat", 1, 1, ".jpeg");
        Class(split, "train/cat", 1, 1);
        Put(idx, "train-images-idx3-ubyte", new byte[16]);
        Directory.CreateDirectory(empty);
        Assert.That(ImageFolder.LooksLikeImageFolder(flat), Is.True);
        Assert.That(ImageFolder.LooksLikeImageFolder(classes), Is.True);
        Assert.That(ImageFolder.LooksLikeImageFolder(split), Is.True);
        Assert.That(ImageFolder.LooksLikeImageFolder(idx), Is.False);
        Assert.That(ImageFolder.LooksLikeImageFolder(empty), Is.False);
        Assert.That(ImageFolder.LooksLikeImageFolder(dir.File("missing")), Is.False);
        Assert.That(ImageFolder.LooksLikeImageFolder(Path.Combine(flat, "a.png")), Is.False);
    }
}
