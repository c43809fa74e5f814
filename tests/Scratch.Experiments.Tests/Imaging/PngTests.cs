using Scratch.Experiments.Imaging;

using Scratch.Models.Files;

namespace Scratch.Experiments.Tests.Imaging;

public class PngTests
{
    [Test]
    public void Crc32_CheckValue()
    {
        // The standard check value of CRC-32/ISO-HDLC.
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u));
        Assert.That(Crc32.Compute([]), Is.EqualTo(0u));
        var rng = new Random(1);
        var bytes = new byte[1000];
        rng.NextBytes(bytes);
        Assert.That(Crc32.Compute(bytes), Is.EqualTo(MiniPngReader.BitwiseCrc32(bytes)));
    }

    [Test]
    public void Grey_RoundTripsThroughAnIndependentDecoder()
    {
        var pixels = new byte[7 * 5];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i * 37);
        var png = PngEncoder.Encode(new Image8(7, 5, 1, pixels));

        var decoded = MiniPngReader.Decode(png);

        Assert.That((decoded.Width, decoded.Height, decoded.BitDepth, decoded.ColorType, decoded.Interlace), Is.EqualTo((7, 5, (byte)8, (byte)0, (byte)0)));
        Assert.That(decoded.ChunkTypes, Is.EqualTo(new[] { "IHDR", "IDAT", "IEND" }));
        Assert.That(decoded.Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void Rgb_RoundTrips()
    {
        var pixels = new byte[3 * 4 * 3];
        new Random(2).NextBytes(pixels);
        var decoded = MiniPngReader.Decode(PngEncoder.Encode(new Image8(3, 4, 3, pixels)));
        Assert.That(decoded.ColorType, Is.EqualTo(2));
        Assert.That(decoded.Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void Write_CreatesTheFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("x.png");
        var image = new Image8(2, 2, 1, [0, 64, 128, 255]);
        PngEncoder.Write(path, image);
        Assert.That(MiniPngReader.Decode(File.ReadAllBytes(path)).Pixels, Is.EqualTo(image.Pixels));
    }

    [Test]
    public void Image8_RejectsBadSizes()
    {
        Assert.Throws<ArgumentException>(() => new Image8(2, 2, 1, new byte[3]));
        Assert.Throws<ArgumentException>(() => new Image8(0, 2, 1, []));
        Assert.Throws<ArgumentException>(() => new Image8(1, 1, 2, new byte[2]));
    }

    [Test]
    public void ToByte_ClampsRoundsAndZeroesNaN()
    {
        Assert.That(new[] { -0.5f, 0f, 0.5f, 1f, 7f, float.NaN, 1 / 255f }.Select(Image8.ToByte),
            Is.EqualTo(new byte[] { 0, 0, 128, 255, 255, 0, 1 }));
    }
}
