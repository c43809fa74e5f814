using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class ImageDecoderTests
{
    // JPEG keeps a flat 8×8 block's colour up to rounding in the colour conversion and the IDCT;
    // stb's and libjpeg's differ by a level or two. 4 levels of 255 is well below any real error.
    private const int JpegTolerance = 4;

    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "Fixtures", name);

    private static PixelImage DecodeBytes(TempFolder dir, string name, byte[] bytes, long pixelLimit = DataOptions.DefaultPixelLimit)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return ImageDecoder.Decode(path, pixelLimit);
    }

    [Test]
    public void Grey8_OddSize_IsOnePlaneOfTheSamples()
    {
        using var dir = new TempFolder();
        var samples = Enumerable.Range(0, 15).Select(i => i * 17).ToArray(); // width 5, height 3
        var image = DecodeBytes(dir, "g.png", TestPng.Encode(5, 3, TestPng.Grey, samples));
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(1, 3, 5)));
        Assert.That(image.Pixels, Is.EqualTo(samples.Select(v => (byte)v).ToArray()));
    }

    [Test]
    public void Rgb8_IsThreePlanes()
    {
        using var dir = new TempFolder();
        // (H=3, W=5, 3) interleaved: pixel p has R = p, G = 100 + p, B = 200 + p.
        var samples = Enumerable.Range(0, 15).SelectMany(p => new[] { p, 100 + p, 200 + p }).ToArray();
        var image = DecodeBytes(dir, "c.png", TestPng.Encode(5, 3, TestPng.Rgb, samples));
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(3, 3, 5)));
        var expected = Enumerable.Range(0, 15).Concat(Enumerable.Range(100, 15)).Concat(Enumerable.Range(200, 15)).Select(v => (byte)v);
        Assert.That(image.Pixels, Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public void Rgba_DropsAlpha_KeepingTheColourUnderATransparentPixel()
    {
        using var dir = new TempFolder();
        // 2×1: an opaque red pixel, a fully transparent (alpha 0) blue one.
        var image = DecodeBytes(dir, "a.png", TestPng.Encode(2, 1, TestPng.Rgba, [255, 0, 0, 255, 0, 0, 200, 0]));
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(3, 1, 2)));
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 255, 0, 0, 0, 0, 200 }));
    }

    [Test]
    public void GreyAlpha_DropsAlpha()
    {
        using var dir = new TempFolder();
        var image = DecodeBytes(dir, "ga.png", TestPng.Encode(3, 1, TestPng.GreyAlpha, [10, 255, 20, 0, 30, 128]));
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(1, 1, 3)));
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 10, 20, 30 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Palette_IsRgbOfTheEntries_WithOrWithoutTransparency(bool withTrns)
    {
        using var dir = new TempFolder();
        byte[] palette = [255, 0, 0, 0, 255, 0, 10, 20, 30];
        // width 3, height 2: indices 0 1 2 / 2 1 0
        var image = DecodeBytes(dir, "p.png", TestPng.Encode(3, 2, TestPng.Palette, [0, 1, 2, 2, 1, 0], palette: palette, transparency: withTrns ? [255, 0, 128] : null));
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(3, 2, 3)));
        Assert.That(image.Pixels, Is.EqualTo(new byte[]
        {
            255, 0, 10, 10, 0, 255,    // R
            0, 255, 20, 20, 255, 0,    // G
            0, 0, 30, 30, 0, 0,        // B
        }));
        Assert.That(ImageDecoder.ReadHeader(dir.File("p.png"), DataOptions.DefaultPixelLimit).HasColour, Is.True);
    }

    [Test]
    public void Grey16_KeepsTheHighByte()
    {
        using var dir = new TempFolder();
        // StbImageSharp's 8-bit loader takes v >> 8: a truncation, so 0x80FF is 0x80, not 0x81.
        var image = DecodeBytes(dir, "g16.png", TestPng.Encode(5, 1, TestPng.Grey, [0x1234, 0xFFFF, 0x00FF, 0x80FF, 0x0100], bitDepth: 16));
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(1, 1, 5)));
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 0x12, 0xFF, 0x00, 0x80, 0x01 }));
    }

    [Test]
    public void Rgba16_KeepsTheHighByteAndDropsAlpha()
    {
        using var dir = new TempFolder();
        var image = DecodeBytes(dir, "c16.png", TestPng.Encode(2, 1, TestPng.Rgba, [0x0102, 0x0304, 0x0506, 0xFFFF, 0xA0A0, 0xB0B0, 0xC0C0, 0], bitDepth: 16));
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 0x01, 0xA0, 0x03, 0xB0, 0x05, 0xC0 }));
    }

    [TestCase("quadrants-baseline.jpg")]
    [TestCase("quadrants-progressive.jpg")]
    public void Jpeg_Quadrants_WithinTolerance(string name)
    {
        var image = ImageDecoder.Decode(Fixture(name), DataOptions.DefaultPixelLimit);
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(3, 16, 16)));
        // The colours make_fixtures.py painted: top-left, top-right, bottom-left, bottom-right.
        int[][] colours = [[220, 30, 40], [30, 200, 60], [40, 50, 210], [128, 128, 128]];
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                var expected = colours[(y / 8) * 2 + x / 8];
                for (int c = 0; c < 3; c++)
                    Assert.That(image.Pixels[c * 256 + y * 16 + x], Is.EqualTo(expected[c]).Within(JpegTolerance), $"channel {c} at ({y}, {x})");
            }
        }
    }

    [Test]
    public void Jpeg_Grey_IsOnePlane()
    {
        var image = ImageDecoder.Decode(Fixture("grey-halves.jpg"), DataOptions.DefaultPixelLimit);
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(1, 8, 16)));
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 16; x++)
                Assert.That(image.Pixels[y * 16 + x], Is.EqualTo(x < 8 ? 50 : 200).Within(JpegTolerance));
    }

    [Test]
    public void Jpeg_OddSize_DecodesEveryPixel()
    {
        var image = ImageDecoder.Decode(Fixture("flat-5x3.jpg"), DataOptions.DefaultPixelLimit);
        Assert.That(image.Shape, Is.EqualTo(new ImageShape(3, 3, 5)));
        int[] colour = [90, 160, 30];
        for (int c = 0; c < 3; c++)
            Assert.That(image.Pixels.Skip(c * 15).Take(15), Is.All.EqualTo(colour[c]).Within(JpegTolerance));
    }

    [Test]
    public void PngNamedJpg_DecodesByContent()
    {
        using var dir = new TempFolder();
        var image = DecodeBytes(dir, "really-a-png.jpg", TestPng.Flat(2, 2, 77));
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 77, 77, 77, 77 }));
    }

    [Test]
    public void EmptyFile_IsRefusedNamingIt()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "empty.png", []))!;
        Assert.That(e.Message, Is.EqualTo($"{dir.File("empty.png")}: is empty (0 bytes)"));
    }

    [Test]
    public void TextNamedPng_IsRefusedNamingIt()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "notes.png", "Hello, this is not a picture\n"u8.ToArray()))!;
        Assert.That(e.Message, Does.StartWith(dir.File("notes.png") + ": is not a PNG or JPEG image"));
        Assert.That(e.FilePath, Is.EqualTo(dir.File("notes.png")));
    }

    [Test]
    public void GifNamedPng_IsRefused()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "anim.png", "GIF89a\x01\0\x01\0\0\0\0;"u8.ToArray()))!;
        Assert.That(e.Message, Does.Contain("is not a PNG or JPEG image"));
    }

    [Test]
    public void TruncatedPng_AtEveryLength_IsADataFormatException()
    {
        using var dir = new TempFolder();
        var samples = Enumerable.Range(0, 45).Select(i => i * 5).ToArray();
        var png = TestPng.Encode(5, 3, TestPng.Rgb, samples);
        // Every cut, from inside the signature to inside IEND: no internal exception, no silent success.
        // Only a cut inside IEND's CRC, the last 4 bytes, still decodes: stb stops at the IEND type
        // and checks no CRC, and every pixel is there (PIL accepts it too: it never reads IEND).
        for (int length = 1; length < png.Length; length++)
        {
            var path = dir.File($"cut{length}.png");
            File.WriteAllBytes(path, png[..length]);
            if (length >= png.Length - 4)
            {
                Assert.That(ImageDecoder.Decode(path, DataOptions.DefaultPixelLimit).Shape, Is.EqualTo(new ImageShape(3, 3, 5)));
                continue;
            }
            var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(path, DataOptions.DefaultPixelLimit), $"cut at {length} of {png.Length}")!;
            Assert.That(e.FilePath, Is.EqualTo(path));
        }
    }

    [TestCase("quadrants-baseline.jpg")]
    [TestCase("quadrants-progressive.jpg")]
    public void TruncatedJpeg_AtEveryLength_IsADataFormatException(string name)
    {
        using var dir = new TempFolder();
        var jpeg = File.ReadAllBytes(Fixture(name));
        for (int length = 1; length < jpeg.Length; length++)
        {
            var path = dir.File($"cut{length}.jpg");
            File.WriteAllBytes(path, jpeg[..length]);
            var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(path, DataOptions.DefaultPixelLimit), $"cut at {length} of {jpeg.Length}")!;
            Assert.That(e.FilePath, Is.EqualTo(path));
        }
    }

    [Test]
    public void TruncatedJpeg_SaysTruncated()
    {
        using var dir = new TempFolder();
        var jpeg = File.ReadAllBytes(Fixture("quadrants-baseline.jpg"));
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "half.jpg", jpeg[..(jpeg.Length - 40)]))!;
        Assert.That(e.Message, Does.Contain("truncated JPEG"));
    }

    [Test]
    public void HugeHeader_IsRefusedBeforeDecoding_NamingThePixelLimit()
    {
        using var dir = new TempFolder();
        var path = dir.File("bomb.png");
        File.WriteAllBytes(path, TestPng.HeaderOnly(60000, 60000));
        Assert.That(new FileInfo(path).Length, Is.LessThan(200));
        // The header alone refuses it: no pixel buffer is ever asked for (3.6 G pixels, 10.8 GB as RGB).
        var fromHeader = Assert.Throws<DataFormatException>(() => ImageDecoder.ReadHeader(path, DataOptions.DefaultPixelLimit))!;
        var fromDecode = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(path, DataOptions.DefaultPixelLimit))!;
        foreach (var e in new[] { fromHeader, fromDecode })
        {
            Assert.That(e.Message, Does.StartWith(path + ": declares 60000×60000 = 3,600,000,000 pixels"));
            Assert.That(e.Message, Does.Contain("pixel limit of 50,000,000"));
        }
    }

    [Test]
    public void HugeJpegFrame_IsRefusedBeforeDecoding_NamingThePixelLimit()
    {
        using var dir = new TempFolder();
        var jpeg = File.ReadAllBytes(Fixture("quadrants-baseline.jpg"));
        // The start-of-frame segment (FF C0): length (2), precision (1), height (2), width (2).
        int sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        jpeg[sof + 5] = 0xEA; jpeg[sof + 6] = 0x60; // 60000
        jpeg[sof + 7] = 0xEA; jpeg[sof + 8] = 0x60;
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "bomb.jpg", jpeg))!;
        Assert.That(e.Message, Does.Contain("declares 60000×60000 = 3,600,000,000 pixels, more than the pixel limit of 50,000,000"));
    }

    [Test]
    public void PixelLimit_IsTheOptionGiven()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "small.png", TestPng.Flat(5, 3), pixelLimit: 14))!;
        Assert.That(e.Message, Does.Contain("5×3 = 15 pixels, more than the pixel limit of 14"));
        Assert.That(DecodeBytes(dir, "ok.png", TestPng.Flat(5, 3), pixelLimit: 15).Shape, Is.EqualTo(new ImageShape(1, 3, 5)));
    }

    [Test]
    public void ZeroWidthHeader_IsRefused()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DecodeBytes(dir, "zero.png", TestPng.HeaderOnly(0, 5)))!;
        Assert.That(e.FilePath, Is.EqualTo(dir.File("zero.png")));
    }
}
