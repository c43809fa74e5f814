using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class NpyImagesTests
{
    private static readonly DataOptions Defaults = new();

    private static string WriteBytes(TempFolder dir, byte[] data, int[] shape, string name = "images.npy")
    {
        var path = dir.File(name);
        NpyFile.WriteUInt8(path, data, shape);
        return path;
    }

    // Every image of both splits, as byte arrays.
    private static List<byte[]> AllImages(ImageDataset data) =>
        Enumerable.Range(0, data.Train.Count).Select(i => data.Train.Image(i).ToArray())
            .Concat(Enumerable.Range(0, data.Test.Count).Select(i => data.Test.Image(i).ToArray())).ToList();

    [Test]
    public void Grey_NxHxW_IsUnlabelled_WithASeededHoldout()
    {
        using var dir = new TempFolder();
        // 10 images of 2×3, image n filled with n.
        var data = Enumerable.Range(0, 10).SelectMany(n => Enumerable.Repeat((byte)n, 6)).ToArray();
        var path = WriteBytes(dir, data, [10, 2, 3]);

        var set = NpyImages.Load(path, Defaults);

        Assert.That(set.Format, Is.EqualTo("npy"));
        Assert.That(set.Source, Is.EqualTo(path));
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(1, 2, 3)));
        Assert.That(set.IsLabelled, Is.False);
        Assert.That(set.TestIsHoldout, Is.True);
        Assert.That((set.Train.Count, set.Test.Count), Is.EqualTo((8, 2)));
        Assert.That(AllImages(set).Select(image => (int)image[0]).Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        var again = NpyImages.Load(path, Defaults);
        Assert.That(again.Test.Pixels, Is.EqualTo(set.Test.Pixels));
        Assert.That(NpyImages.Load(path, Defaults with { Seed = 99 }).Test.Pixels, Is.Not.EqualTo(set.Test.Pixels));
    }

    [Test]
    public void ChannelsLast_NxHxWx3_IsTransposedToPlanes()
    {
        using var dir = new TempFolder();
        // 2 images of 1×2 RGB: pixel (image n, x) = (10n + x, 100 + 10n + x, 200 + 10n + x).
        var data = new byte[2 * 1 * 2 * 3];
        for (int n = 0; n < 2; n++)
            for (int x = 0; x < 2; x++)
                for (int c = 0; c < 3; c++)
                    data[(n * 2 + x) * 3 + c] = (byte)(100 * c + 10 * n + x);
        var set = NpyImages.Load(WriteBytes(dir, data, [2, 1, 2, 3]), Defaults);
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(3, 1, 2)));
        var images = AllImages(set).OrderBy(i => i[0]).ToList();
        Assert.That(images[0], Is.EqualTo(new byte[] { 0, 1, 100, 101, 200, 201 }));
        Assert.That(images[1], Is.EqualTo(new byte[] { 10, 11, 110, 111, 210, 211 }));
    }

    [Test]
    public void ChannelsFirst_Nx3xHxW_IsKept()
    {
        using var dir = new TempFolder();
        var data = Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => (byte)i).ToArray();
        var set = NpyImages.Load(WriteBytes(dir, data, [2, 3, 2, 2]), Defaults);
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(3, 2, 2)));
        Assert.That(AllImages(set).OrderBy(i => i[0]).SelectMany(i => i), Is.EqualTo(data));
    }

    [Test]
    public void Ambiguous_Nx3xHx3_IsChannelsLast()
    {
        using var dir = new TempFolder();
        var set = NpyImages.Load(WriteBytes(dir, new byte[2 * 3 * 4 * 3], [2, 3, 4, 3]), Defaults);
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(3, 3, 4)));
    }

    [Test]
    public void Float32_IsRoundedToBytes()
    {
        using var dir = new TempFolder();
        var path = dir.File("f.npy");
        // 0.5·255 = 127.5 → 128; 1/255 → 1; 0.999 → 254.745 → 255.
        float[] values = [0f, 0.5f, 1f / 255, 0.999f, 1f, 0.2f];
        NpyFile.WriteFloat32(path, values, [2, 1, 3]);
        var set = NpyImages.Load(path, Defaults);
        Assert.That(AllImages(set).OrderBy(i => i[0]).SelectMany(i => i), Is.EqualTo(new byte[] { 0, 128, 1, 255, 255, 51 }));
    }

    [TestCase(1.5f, "is 1.5")]
    [TestCase(-0.01f, "is -0.01")]
    [TestCase(float.NaN, "is NaN")]
    [TestCase(float.PositiveInfinity, "is Infinity")]
    public void Float32_OutsideUnitRange_IsRefusedNamingTheIndex(float bad, string shown)
    {
        using var dir = new TempFolder();
        var path = dir.File("f.npy");
        var values = new float[3 * 2 * 2];
        values[1 * 4 + 1 * 2 + 0] = bad; // image 1, row 1, column 0
        NpyFile.WriteFloat32(path, values, [3, 2, 2]);
        var e = Assert.Throws<DataFormatException>(() => NpyImages.Load(path, Defaults))!;
        Assert.That(e.Message, Does.StartWith($"{path}: value at [1, 1, 0] {shown}; float32 images must hold values in [0, 1]"));
    }

    [TestCase(new[] { 12 }, "(12)")]
    [TestCase(new[] { 2, 6 }, "(2, 6)")]
    [TestCase(new[] { 2, 2, 3, 1, 1 }, "(2, 2, 3, 1, 1)")]
    [TestCase(new[] { 2, 2, 1, 3 }, null)] // channels last, fine
    [TestCase(new[] { 1, 2, 2, 3 }, "too few")]
    [TestCase(new[] { 3, 2, 2, 1 }, null)]
    [TestCase(new[] { 2, 2, 3, 2 }, "(2, 2, 3, 2)")] // C = 2 on both candidate axes
    public void Shapes_ThatAreNotImageStacks_AreRefused(int[] shape, string? named)
    {
        using var dir = new TempFolder();
        var path = WriteBytes(dir, new byte[shape.Aggregate(1, (a, b) => a * b)], shape);
        if (named == null)
        {
            Assert.That(NpyImages.Load(path, Defaults).Train.Count, Is.GreaterThan(0));
            return;
        }
        var e = Assert.Throws<DataFormatException>(() => NpyImages.Load(path, Defaults))!;
        Assert.That(e.Message, Does.StartWith(path + ": ").And.Contain(named));
    }

    [Test]
    public void ZeroSizedImages_AreRefused()
    {
        using var dir = new TempFolder();
        var path = WriteBytes(dir, [], [5, 0, 3]);
        var e = Assert.Throws<DataFormatException>(() => NpyImages.Load(path, Defaults))!;
        Assert.That(e.Message, Does.Contain("holds images of 0×3 pixels"));
    }

    [Test]
    public void ImageSizeAndChannels_AreApplied_AsForImageFolders()
    {
        using var dir = new TempFolder();
        // Two identical 4×4 grey images: 2×2 blocks of 0, 40, 80, 120.
        byte[] image =
        [
            0, 0, 40, 40,
            0, 0, 40, 40,
            80, 80, 120, 120,
            80, 80, 120, 120,
        ];
        var path = WriteBytes(dir, image.Concat(image).ToArray(), [2, 4, 4]);
        var set = NpyImages.Load(path, Defaults with { ImageSize = (2, 2), Channels = 3 });
        Assert.That(set.Shape, Is.EqualTo(new ImageShape(3, 2, 2)));
        Assert.That(set.Train.Image(0).ToArray(), Is.EqualTo(new byte[] { 0, 40, 80, 120, 0, 40, 80, 120, 0, 40, 80, 120 }));
    }

    [Test]
    public void Fingerprint_ChangesWithTheFileAndTheOptions()
    {
        using var dir = new TempFolder();
        var path = WriteBytes(dir, new byte[4 * 2 * 2], [4, 2, 2]);
        string first = NpyImages.Load(path, Defaults).Fingerprint;
        Assert.That(first, Does.Match("^[0-9a-f]{16}$"));
        Assert.That(NpyImages.Load(path, Defaults).Fingerprint, Is.EqualTo(first));
        Assert.That(NpyImages.Load(path, Defaults with { Seed = 2 }).Fingerprint, Is.Not.EqualTo(first));
        Assert.That(NpyImages.Load(path, Defaults with { ImageSize = (1, 1) }).Fingerprint, Is.Not.EqualTo(first));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        Assert.That(NpyImages.Load(path, Defaults).Fingerprint, Is.Not.EqualTo(first));
    }

    [Test]
    public void BadOptions_AreRefusedNamingTheOption()
    {
        using var dir = new TempFolder();
        var path = WriteBytes(dir, new byte[4 * 2 * 2], [4, 2, 2]);
        Assert.That(Assert.Throws<ArgumentException>(() => NpyImages.Load(path, Defaults with { Channels = 2 }))!.Message, Does.Contain("DataOptions.Channels is 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => NpyImages.Load(path, Defaults with { TestFraction = 1 }))!.Message, Does.Contain("DataOptions.TestFraction is 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => NpyImages.Load(path, Defaults with { ImageSize = (0, 4) }))!.Message, Does.Contain("DataOptions.ImageSize is 0×4"));
    }
}
