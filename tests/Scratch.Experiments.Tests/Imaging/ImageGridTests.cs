using Scratch.Experiments.Imaging;

namespace Scratch.Experiments.Tests.Imaging;

public class ImageGridTests
{
    [Test]
    public void Compose_PlacesEachImageInItsCell_WithPadding()
    {
        // Two rows: three 2×3 images of value 1, then one of value 0. Padding 1 of value 0.5.
        float[] ones = Enumerable.Repeat(1f, 3 * 6).ToArray();
        float[] zero = new float[6];
        var grid = ImageGrid.Compose([ones, zero], imageHeight: 2, imageWidth: 3, padding: 1, padValue: 0.5f);

        // width = 3 cells × (3 + 1) + 1 = 13, height = 2 × (2 + 1) + 1 = 7
        Assert.That((grid.Width, grid.Height, grid.Channels), Is.EqualTo((13, 7, 1)));
        byte At(int x, int y) => grid.Pixels[y * grid.Width + x];
        Assert.That(At(0, 0), Is.EqualTo(128), "padding");
        Assert.That(At(1, 1), Is.EqualTo(255), "row 0, image 0, top-left");
        Assert.That(At(3, 2), Is.EqualTo(255), "row 0, image 0, bottom-right");
        Assert.That(At(4, 1), Is.EqualTo(128), "padding between images");
        Assert.That(At(9, 1), Is.EqualTo(255), "row 0, image 2");
        Assert.That(At(1, 4), Is.EqualTo(0), "row 1, image 0");
        Assert.That(At(5, 4), Is.EqualTo(128), "row 1 is shorter: padding where image 1 would be");
        Assert.That(grid.Pixels.Count(p => p == 255), Is.EqualTo(18));
        Assert.That(grid.Pixels.Count(p => p == 0), Is.EqualTo(6));
    }

    [Test]
    public void Tile_WrapsAfterColumns_AndKeepsPixelOrder()
    {
        // 5 images of 2×2 with distinct values, 2 columns → 3 grid rows, no padding.
        var images = Enumerable.Range(0, 20).Select(i => i / 19f).ToArray();
        var grid = ImageGrid.Tile(images, 5, 2, 2, columns: 2, padding: 0);
        Assert.That((grid.Width, grid.Height), Is.EqualTo((4, 6)));
        // image 3 sits at grid (row 1, col 1): its pixel (1, 0) is value 13/19.
        Assert.That(grid.Pixels[2 * 4 + 3], Is.EqualTo(Image8.ToByte(13 / 19f)));
        // image 4's first pixel at grid (row 2, col 0).
        Assert.That(grid.Pixels[4 * 4 + 0], Is.EqualTo(Image8.ToByte(16 / 19f)));
    }

    [Test]
    public void Grid_EncodesToAValidPng()
    {
        var images = Enumerable.Range(0, 4 * 784).Select(i => (i % 97) / 96f).ToArray();
        var grid = ImageGrid.Tile(images, 4, 28, 28, columns: 2);
        var decoded = MiniPngReader.Decode(PngEncoder.Encode(grid));
        Assert.That(decoded.Pixels, Is.EqualTo(grid.Pixels));
    }

    [Test]
    public void Colour_PlanesBecomeInterleavedRgb()
    {
        // Two RGB images of 1×2, planes (C, H, W): image n has red n, green 0.5, blue its column.
        float[] images = [0f, 0f, 0.5f, 0.5f, 0f, 1f, /**/ 1f, 1f, 0.5f, 0.5f, 0f, 1f];
        var grid = ImageGrid.Tile(images, 2, 1, 2, columns: 2, padding: 0, channels: 3);
        Assert.That((grid.Width, grid.Height, grid.Channels), Is.EqualTo((4, 1, 3)));
        byte half = Image8.ToByte(0.5f);
        Assert.That(grid.Pixels, Is.EqualTo(new byte[] { 0, half, 0, 0, half, 255, 255, half, 0, 255, half, 255 }));
        var decoded = MiniPngReader.Decode(PngEncoder.Encode(grid));
        Assert.That(decoded.Pixels, Is.EqualTo(grid.Pixels));
        Assert.Throws<ArgumentException>(() => ImageGrid.Tile(images, 2, 1, 2, columns: 2, channels: 2));
    }

    [Test]
    public void FromPlanes_InterleavesChannels_AndRefusesWhatIsNotFinite()
    {
        // 2 channels would be refused; RGB of 1×2: planes R = [0, 1], G = [1, 0], B = [0.5, 0.5].
        var image = Image8.FromPlanes([0f, 1f, 1f, 0f, 0.5f, 0.5f], 3, 2, 1);
        byte half = Image8.ToByte(0.5f);
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 0, 255, half, 255, 0, half }));
        var e = Assert.Throws<ArgumentException>(() => Image8.FromPlanes([0f, float.NaN], 1, 2, 1))!;
        Assert.That(e.Message, Does.Contain("NaN").And.Contain("pixel (0, 1)"));
    }

    [Test]
    public void BadInputs_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.Compose([new float[5]], 2, 2))!;
        Assert.That(e.Message, Does.Contain("row 0 holds 5 values"));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose([], 2, 2));
        Assert.Throws<ArgumentException>(() => ImageGrid.Tile(new float[8], 3, 2, 2, 2));
    }
}
