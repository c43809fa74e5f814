using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class ImageCacheTests
{
    private static (DataOptions Options, List<string> Log) Cached(string cache, DataOptions? options = null)
    {
        var log = new List<string>();
        return ((options ?? new DataOptions()) with { CacheFolder = cache, Log = log.Add }, log);
    }

    private static string MakeFolder(TempFolder dir)
    {
        string root = dir.File("images");
        ImageFolderTests.Class(root, "cat", 1, 6);
        ImageFolderTests.Class(root, "dog", 2, 4);
        return root;
    }

    private static void AssertSame(ImageDataset a, ImageDataset b)
    {
        Assert.That(b.Shape, Is.EqualTo(a.Shape));
        Assert.That(b.Train.Pixels, Is.EqualTo(a.Train.Pixels));
        Assert.That(b.Test.Pixels, Is.EqualTo(a.Test.Pixels));
        Assert.That(b.Train.Labels, Is.EqualTo(a.Train.Labels));
        Assert.That(b.Test.Labels, Is.EqualTo(a.Test.Labels));
        Assert.That(b.ClassNames, Is.EqualTo(a.ClassNames));
        Assert.That(b.IsLabelled, Is.EqualTo(a.IsLabelled));
        Assert.That(b.TestIsHoldout, Is.EqualTo(a.TestIsHoldout));
        Assert.That(b.Fingerprint, Is.EqualTo(a.Fingerprint));
    }

    [Test]
    public void SecondLoad_ComesFromTheCache_WithIdenticalBytes()
    {
        using var dir = new TempFolder();
        string root = MakeFolder(dir), cache = dir.File("cache");
        var (options, log) = Cached(cache, new DataOptions { ImageSize = (3, 3), Channels = 3 });

        var first = ImageFolder.Load(root, options);
        Assert.That(log.Any(l => l.StartsWith("decoded 10 images")), Is.True);
        Assert.That(File.Exists(Path.Combine(cache, first.Fingerprint + ".images.npy")), Is.True);
        Assert.That(File.Exists(Path.Combine(cache, first.Fingerprint + ".json")), Is.True);
        var cachedArray = NpyFile.Read(Path.Combine(cache, first.Fingerprint + ".images.npy"));
        Assert.That(cachedArray.Shape, Is.EqualTo(new[] { 10, 3, 3, 3 }));

        log.Clear();
        var second = ImageFolder.Load(root, options);
        Assert.That(log, Is.EqualTo(new[] { $"loaded 10 images from the cache {Path.Combine(cache, first.Fingerprint + ".images.npy")}" }));
        AssertSame(first, second);
    }

    [Test]
    public void TrainTestLayout_AndUnlabelled_RoundTripThroughTheCache()
    {
        using var dir = new TempFolder();
        string split = dir.File("split"), flat = dir.File("flat"), cache = dir.File("cache");
        ImageFolderTests.Class(split, "train/a", 1, 3);
        ImageFolderTests.Class(split, "train/b", 2, 2);
        ImageFolderTests.Class(split, "test/a", 3, 1);
        ImageFolderTests.Class(split, "test/b", 4, 1);
        for (int k = 0; k < 5; k++) ImageFolderTests.Put(flat, $"{k}.png", TestPng.Flat(2, 2, k));
        foreach (var root in new[] { split, flat })
        {
            var (options, log) = Cached(cache);
            var first = ImageFolder.Load(root, options);
            var second = ImageFolder.Load(root, options);
            Assert.That(log.Last(), Does.StartWith("loaded"));
            AssertSame(first, second);
        }
    }

    [Test]
    public void TouchingAFile_ChangesTheFingerprint_AndDecodesAgain()
    {
        using var dir = new TempFolder();
        string root = MakeFolder(dir), cache = dir.File("cache");
        var (options, log) = Cached(cache);
        var first = ImageFolder.Load(root, options);
        var file = Path.Combine(root, "dog", "img2.png");
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(10));
        log.Clear();
        var second = ImageFolder.Load(root, options);
        Assert.That(second.Fingerprint, Is.Not.EqualTo(first.Fingerprint));
        Assert.That(log.Any(l => l.StartsWith("decoded")), Is.True);
        Assert.That(log.Any(l => l.StartsWith("loaded")), Is.False);
    }

    [Test]
    public void Fingerprint_DependsOnTheOptionsThatChangeTheBytes_AndNotOnWhereTheFolderIs()
    {
        using var dir = new TempFolder();
        string root = MakeFolder(dir);
        var plain = ImageFolder.Load(root, new DataOptions()).Fingerprint;
        foreach (var changed in new[]
        {
            new DataOptions { ImageSize = (2, 2) }, new DataOptions { Channels = 3 }, new DataOptions { TestFraction = 0.3 },
            new DataOptions { Seed = 7 }, new DataOptions { SkipBad = true }, new DataOptions { PixelLimit = 1000 },
        })
        {
            Assert.That(ImageFolder.Load(root, changed).Fingerprint, Is.Not.EqualTo(plain), changed.ToString());
        }
        Assert.That(ImageFolder.Load(root, new DataOptions { Log = _ => { } }).Fingerprint, Is.EqualTo(plain));

        // A copy that keeps names, sizes and times has the same fingerprint.
        string copy = dir.File("copy");
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
        Assert.That(ImageFolder.Load(copy, new DataOptions()).Fingerprint, Is.EqualTo(plain));
    }

    [TestCase("json garbage")]
    [TestCase("json wrong counts")]
    [TestCase("npy truncated")]
    [TestCase("npy missing")]
    public void DamagedCache_IsIgnoredAndRebuilt(string damage)
    {
        using var dir = new TempFolder();
        string root = MakeFolder(dir), cache = dir.File("cache");
        var (options, log) = Cached(cache);
        var first = ImageFolder.Load(root, options);
        string json = Path.Combine(cache, first.Fingerprint + ".json"), npy = Path.Combine(cache, first.Fingerprint + ".images.npy");
        switch (damage)
        {
            case "json garbage": File.WriteAllText(json, "{ not json"); break;
            case "json wrong counts": File.WriteAllText(json, File.ReadAllText(json).Replace("\"train\":8", "\"train\":9")); break;
            case "npy truncated": File.WriteAllBytes(npy, File.ReadAllBytes(npy)[..100]); break;
            case "npy missing": File.Delete(npy); break;
        }

        log.Clear();
        var second = ImageFolder.Load(root, options);
        Assert.That(log[0], Does.StartWith($"ignoring the damaged cache {json} ("));
        Assert.That(log.Any(l => l.StartsWith("decoded")), Is.True);
        AssertSame(first, second);

        log.Clear();
        AssertSame(first, ImageFolder.Load(root, options));
        Assert.That(log.Single(), Does.StartWith("loaded 10 images from the cache"));
    }
}
