using System.Security.Cryptography;
using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class IdxFolderTests
{
    // Loaded once: the whole sample is 10,000 images and several tests look at it.
    private static readonly Lazy<ImageDataset> Sample = new(() => DataSource.Load(DataSource.SampleDirectory()));

    [Test]
    public void DefaultDirectory_FindsTheBundledSample()
    {
        var dir = DataSource.SampleDirectory();
        Assert.That(dir.Replace('\\', '/'), Does.EndWith("data/mnist-sample"));
        Assert.That(File.Exists(Path.Combine(dir, "README.md")), "the attribution travels with the data");
    }

    [TestCase("train-images-idx3-ubyte.gz", "eefc3ff0823434e3752ea3472c59ca0f777c7766c0e6e3dad6206287b8cca956")]
    [TestCase("train-labels-idx1-ubyte.gz", "118f5a0edb34d8f99eccae948a5cd83953dcb494a0b78426b6a4fed94377f14c")]
    [TestCase("test-images-idx3-ubyte.gz", "064ff7cde2caea85cf8c58105ca36682cf98c2e1aa140772046325211d3398de")]
    [TestCase("test-labels-idx1-ubyte.gz", "2117c52c64dee9f5f4e983bb4c1a2428eaf794c55f73310de4e9928d71ec9eca")]
    public void BundledFiles_MatchTheirPublishedSha256(string name, string sha256)
    {
        var bytes = File.ReadAllBytes(Path.Combine(DataSource.SampleDirectory(), name));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(sha256));
    }

    [Test]
    public void Load_BundledSample_HasTheDocumentedSplits()
    {
        var data = Sample.Value;
        Assert.That((data.Train.Count, data.Train.Rows, data.Train.Cols), Is.EqualTo((7996, 28, 28)));
        Assert.That((data.Test.Count, data.Test.Rows, data.Test.Cols), Is.EqualTo((2004, 28, 28)));
        Assert.That(data.Train.Pixels, Has.Length.EqualTo(7996 * 784), "kept as bytes");
        Assert.That((data.Format, data.TestIsHoldout, data.Shape), Is.EqualTo(("idx", false, ImageShape.Mnist)));
        Assert.That(data.Test.Labels, Has.Length.EqualTo(2004));
    }

    [Test]
    public void Load_BundledSample_LooksLikeMnist()
    {
        var train = Sample.Value.Train;
        // Every digit is present, pixels span exactly [0, 1] in steps of 1/255, and the mean
        // intensity is MNIST's well-known ≈ 0.13.
        Assert.That(train.Labels.Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        var images = train.ToFloats();
        Assert.That(images.Min(), Is.EqualTo(0f));
        Assert.That(images.Max(), Is.EqualTo(1f));
        Assert.That(images.Select(v => v * 255f).All(v => v == MathF.Round(v)));
        Assert.That(images.Average(v => (double)v), Is.EqualTo(0.13).Within(0.01));
    }

    [Test]
    public void Image_ReturnsTheRightSlice()
    {
        var test = Sample.Value.Test;
        Assert.That(test.Image(5).ToArray(), Is.EqualTo(test.Pixels.AsSpan(5 * 784, 784).ToArray()));
        Assert.That(test.ToFloats(5, 1), Is.EqualTo(test.Image(5).ToArray().Select(b => b / 255f)));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Image(test.Count));
    }

    [Test]
    public void Load_T10kNamesAndRawFiles_AreFound()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), IdxBytes.Images(4, 12, 12));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Labels(1, 2, 3, 4)));
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Images(2, 12, 12, seed: 2)));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), IdxBytes.Labels(9, 0));

        var data = DataSource.Load(dir.Path);

        Assert.That(data.Train.Labels, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(data.Test.Labels, Is.EqualTo(new[] { 9, 0 }));
        Assert.That((data.Test.Rows, data.Test.Cols), Is.EqualTo((12, 12)));
        var rawByte = IdxBytes.Images(4, 12, 12)[16 + 7];
        Assert.That(data.Train.ToFloats(0, 1)[7], Is.EqualTo(rawByte / 255f));
    }

    [TestCase("train-images.idx3-ubyte", "train-labels.idx1-ubyte", "t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte")]
    [TestCase("train-images.idx3-ubyte.gz", "train-labels.idx1-ubyte.gz", "test-images.idx3-ubyte.gz", "test-labels.idx1-ubyte.gz")]
    public void Load_KagglesFileNames_AreFound(string trainImages, string trainLabels, string testImages, string testLabels)
    {
        // Kaggle's copies of MNIST and Fashion-MNIST write the last hyphen as a dot.
        using var dir = new TempFolder();
        byte[] Maybe(string name, byte[] raw) => name.EndsWith(".gz") ? IdxBytes.Gzip(raw) : raw;
        File.WriteAllBytes(dir.File(trainImages), Maybe(trainImages, IdxBytes.Images(3, 5, 7)));
        File.WriteAllBytes(dir.File(trainLabels), Maybe(trainLabels, IdxBytes.Labels(1, 2, 3)));
        File.WriteAllBytes(dir.File(testImages), Maybe(testImages, IdxBytes.Images(2, 5, 7, seed: 2)));
        File.WriteAllBytes(dir.File(testLabels), Maybe(testLabels, IdxBytes.Labels(4, 5)));

        var data = DataSource.Load(dir.Path);

        Assert.That((data.Train.Count, data.Test.Count, data.Shape), Is.EqualTo((3, 2, new ImageShape(1, 5, 7))));
        Assert.That(data.Test.Labels, Is.EqualTo(new[] { 4, 5 }));
        Assert.That(data.Train.Pixels, Is.EqualTo(IdxBytes.Images(3, 5, 7)[16..]));
    }

    [Test]
    public void Load_MissingFile_NamesFolderAndExpectedNames()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), IdxBytes.Images(1, 11, 11));
        var e = Assert.Throws<FileNotFoundException>(() => DataSource.Load(dir.Path))!;
        Assert.That(e.Message, Does.Contain(dir.Path).And.Contain("train-labels-idx1-ubyte, train-labels-idx1-ubyte.gz"));
    }

    [Test]
    public void Load_CountMismatch_NamesBothFiles()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), IdxBytes.Images(3, 11, 11));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), IdxBytes.Labels(1, 2));
        File.WriteAllBytes(dir.File("test-images-idx3-ubyte"), IdxBytes.Images(1, 11, 11));
        File.WriteAllBytes(dir.File("test-labels-idx1-ubyte"), IdxBytes.Labels(1));
        var e = Assert.Throws<IdxFormatException>(() => DataSource.Load(dir.Path))!;
        Assert.That(e.Message, Does.Contain("train-labels-idx1-ubyte: holds 2 labels but").And.Contain("train-images-idx3-ubyte holds 3 images"));
    }

    [Test]
    public void Load_MissingFolder_SaysSo()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataSource.Load("/no/such/mnist"))!;
        Assert.That(e.Message, Does.Contain("/no/such/mnist"));
    }
}
