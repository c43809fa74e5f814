using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class IdxReaderTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ReadImages_RawOrGzip_ReturnsDimsAndBytes(bool gzip)
    {
        using var dir = new TempFolder();
        var data = new byte[3 * 2 * 5];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i * 7);
        var raw = IdxBytes.Build([3, 2, 5], data);
        // The name says nothing about compression: detection is by the gzip magic.
        var path = dir.File("images.bin");
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(raw) : raw);

        var file = IdxReader.ReadImages(path);

        Assert.That(file.Dims, Is.EqualTo(new[] { 3, 2, 5 }));
        Assert.That(file.Data, Is.EqualTo(data));
    }

    [Test]
    public void ReadLabels_ZeroCount_IsAllowed()
    {
        using var dir = new TempFolder();
        var path = dir.File("labels");
        File.WriteAllBytes(path, IdxBytes.Labels());
        Assert.That(IdxReader.ReadLabels(path).Data, Is.Empty);
    }

    [Test]
    public void ReadLabels_ValueBeyondClassCount_NamesIndexAndValue()
    {
        using var dir = new TempFolder();
        var path = dir.File("labels");
        File.WriteAllBytes(path, IdxBytes.Labels(0, 9, 10, 3));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain("label 2 is 10, outside 0..9"));
        Assert.That(IdxReader.ReadLabels(path, classCount: 11).Data, Is.EqualTo(new byte[] { 0, 9, 10, 3 }));
    }

    [Test]
    public void Read_RawTruncated_SaysDeclaredAndPresentBytes()
    {
        using var dir = new TempFolder();
        var path = dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(path, IdxBytes.Build([60000, 28, 28], new byte[1200]));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: declares 60000 images of 28×28 (47040000 bytes) but holds 1200 bytes"));
    }

    [Test]
    public void Read_GzipTruncated_FailsWhenStreamEnds()
    {
        using var dir = new TempFolder();
        var path = dir.File("x.gz");
        // Honest-looking ratio (the declared size is compressible to this file) but short content.
        File.WriteAllBytes(path, IdxBytes.Gzip(IdxBytes.Build([100, 28, 28], new byte[50 * 784])));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("declares 100 images of 28×28 (78400 bytes) but holds 39200 bytes after decompression"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Read_HugeDeclaredCount_FailsWithoutAllocating(bool gzip)
    {
        using var dir = new TempFolder();
        var path = dir.File("huge");
        var raw = IdxBytes.Build([1_000_000_000, 1, 1], new byte[1000]);
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(raw) : raw);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(e.Message, Does.Contain("declares 1000000000 images of 1×1"));
        Assert.That(allocated, Is.LessThan(1 << 20), "the reader must not allocate what the header claims");
    }

    [Test]
    public void Read_GzipDeclaringMoreThanDeflateCanExpand_FailsFast()
    {
        using var dir = new TempFolder();
        var path = dir.File("bomb.gz");
        var raw = IdxBytes.Build([1_000_000, 28, 28], new byte[10]);
        var gz = IdxBytes.Gzip(raw);
        File.WriteAllBytes(path, gz);
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain($"a gzip file of {gz.Length} bytes cannot expand"));
    }

    [Test]
    public void Read_ProductBeyondArrayLimit_IsRejectedNotOverflowed()
    {
        using var dir = new TempFolder();
        var path = dir.File("big");
        // 65536³ = 2^48 would wrap a 32-bit product to 0 and look like an empty file.
        File.WriteAllBytes(path, IdxBytes.Build([65536, 65536, 65536], []));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("declares 65536 images of 65536×65536: more than"));
    }

    [Test]
    public void Read_DimensionAboveInt32_IsRejected()
    {
        using var dir = new TempFolder();
        var path = dir.File("neg");
        File.WriteAllBytes(path, IdxBytes.Build([0x8000_0000u], []));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.Contain("dimension 0 declares 2147483648 entries"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Read_TrailingBytes_AreAnError(bool gzip)
    {
        using var dir = new TempFolder();
        var path = dir.File("labels");
        var raw = IdxBytes.Build([3], [1, 2, 3, 4, 5]);
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(raw) : raw);
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.Contain("trailing bytes"));
    }

    [Test]
    public void Read_WrongMagic_IsRejected()
    {
        using var dir = new TempFolder();
        var path = dir.File("png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]);
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.Contain("not an IDX file: magic bytes 89 50 4E 47"));
    }

    [Test]
    public void Read_NonByteElementType_IsRejected()
    {
        using var dir = new TempFolder();
        var path = dir.File("floats");
        File.WriteAllBytes(path, IdxBytes.Build([1], [0, 0, 0, 0], type: 0x0D));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.Contain("element type 0x0D is not supported"));
    }

    [Test]
    public void Read_LabelsFileWhereImagesExpected_NamesDimensionCount()
    {
        using var dir = new TempFolder();
        var path = dir.File("labels");
        File.WriteAllBytes(path, IdxBytes.Labels(1, 2, 3));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("has 1 dimensions (magic 0x00000801), expected 3"));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(9)]
    public void Read_FileEndingInsideHeader_IsRejected(int length)
    {
        using var dir = new TempFolder();
        var path = dir.File("short");
        File.WriteAllBytes(path, IdxBytes.Images(1, 2, 2).AsSpan(0, length).ToArray());
        Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));
    }

    [Test]
    public void Read_CorruptGzip_IsAnIdxFormatException()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.gz");
        var gz = IdxBytes.Gzip(IdxBytes.Images(10, 28, 28));
        for (int i = 12; i < gz.Length - 8; i++)
            gz[i] ^= 0x5A;
        File.WriteAllBytes(path, gz);
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.StartWith(path));
    }

    [Test]
    public void ReadImages_ZeroRows_IsRejected()
    {
        using var dir = new TempFolder();
        var path = dir.File("empty-images");
        File.WriteAllBytes(path, IdxBytes.Build([5, 0, 28], []));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("rows and cols must be positive"));
    }

    [Test]
    public void Read_MissingFile_NamesPath()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels("/nonexistent/labels-idx1-ubyte"))!;
        Assert.That(e.Message, Does.Contain("/nonexistent/labels-idx1-ubyte"));
    }
}
