using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class ImageResizeTests
{
    private static PixelImage Grey(int h, int w, params byte[] pixels) => new(new ImageShape(1, h, w), pixels);

    [Test]
    public void SameSize_ReturnsTheSameBytes()
    {
        var pixels = Enumerable.Range(0, 3 * 5 * 7).Select(i => (byte)(i * 37)).ToArray();
        var image = new PixelImage(new ImageShape(3, 5, 7), pixels);
        Assert.That(ImageResize.Resize(image, 5, 7).Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void Shrink4x4To2x2_AveragesBlocksExactly()
    {
        var image = Grey(4, 4,
            0, 10, 100, 101,
            20, 30, 102, 103,
            200, 200, 1, 2,
            200, 201, 3, 5);
        // Block means: 15, 101.5 → 102 (half up), 200.25 → 200, 2.75 → 3.
        Assert.That(ImageResize.Resize(image, 2, 2).Pixels, Is.EqualTo(new byte[] { 15, 102, 200, 3 }));
    }

    [Test]
    public void Shrink3x3To2x2_WeighsFractionalCoverage()
    {
        // 3 → 2 along an axis: output 0 covers source 0 and half of source 1 (weights 2/3, 1/3),
        // output 1 half of source 1 and source 2 (1/3, 2/3). Pixel (y, x) = 90x + 9y.
        var image = Grey(3, 3,
            0, 90, 180,
            9, 99, 189,
            18, 108, 198);
        // x: row y → (30 + 9y, 150 + 9y); then y: (2·row0 + row1)/3 adds 3, (row1 + 2·row2)/3 adds 15.
        Assert.That(ImageResize.Resize(image, 2, 2).Pixels, Is.EqualTo(new byte[] { 33, 153, 45, 165 }));
    }

    [Test]
    public void AspectDifference_IsCroppedNotSquashed()
    {
        // 1×3 → 1×2: the aspect differs (3 vs 2), so the centre 1×2 window is kept as it is.
        var image = Grey(1, 3, 0, 90, 180);
        Assert.That(ImageResize.Resize(image, 1, 2).Pixels, Is.EqualTo(new byte[] { 0, 90 }));
    }

    [Test]
    public void Enlarge2x2To4x4_IsBilinearAtHalfPixelCentres()
    {
        // Along one axis, out x' samples source x = (x' + ½)/2 − ½: −¼ (clamped to 0), ¼, ¾, 1¼ (clamped to 1),
        // so a row (a, b) becomes (a, ¾a + ¼b, ¼a + ¾b, b).
        var image = Grey(2, 2, 0, 100, 200, 40);
        var result = ImageResize.Resize(image, 4, 4).Pixels;
        // Rows first: (0, 25, 75, 100) and (200, 160, 80, 40); then columns mix them 1, ¾¼, ¼¾, 1.
        double[] top = [0, 25, 75, 100], bottom = [200, 160, 80, 40];
        double[] rowWeights = [0, 0.25, 0.75, 1];
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                double v = (1 - rowWeights[y]) * top[x] + rowWeights[y] * bottom[x];
                Assert.That(result[y * 4 + x], Is.EqualTo((byte)Math.Floor(v + 0.5)), $"({y}, {x})");
            }
        }
        Assert.That(result, Is.EqualTo(new byte[]
        {
            0, 25, 75, 100,
            50, 59, 76, 85,
            150, 126, 79, 55,
            200, 160, 80, 40,
        }));
    }

    [Test]
    public void WideImage_IsCentreCroppedToTheTargetAspect()
    {
        // 2×6 → 2×2: the centre 2×2 window (columns 2, 3) is kept, nothing resampled.
        var image = Grey(2, 6,
            1, 2, 3, 4, 5, 6,
            7, 8, 9, 10, 11, 12);
        Assert.That(ImageResize.Resize(image, 2, 2).Pixels, Is.EqualTo(new byte[] { 3, 4, 9, 10 }));
    }

    [Test]
    public void TallImage_OddLeftover_PutsTheExtraRowAtTheBottom()
    {
        // 5×2 → 2×2: rows 1..2 kept ((5 − 2) / 2 = 1 above, 2 below).
        var image = Grey(5, 2, 0, 1, 10, 11, 20, 21, 30, 31, 40, 41);
        Assert.That(ImageResize.Resize(image, 2, 2).Pixels, Is.EqualTo(new byte[] { 10, 11, 20, 21 }));
    }

    [TestCase(100, 200, 50, 50, 0, 50, 100, 100)]
    [TestCase(200, 100, 50, 50, 50, 0, 100, 100)]
    [TestCase(480, 640, 224, 224, 0, 80, 480, 480)]
    [TestCase(3, 5, 3, 5, 0, 0, 3, 5)]
    [TestCase(10, 10, 1, 3, 3, 0, 3, 10)] // round(10·1/3) = 3 rows
    public void CentreCrop_Window(int h, int w, int height, int width, int top, int left, int rows, int cols)
    {
        Assert.That(ImageResize.CentreCrop(h, w, height, width), Is.EqualTo((top, left, rows, cols)));
    }

    [Test]
    public void AreaWeights_SumToTheDenominator_ForManySizes()
    {
        for (int input = 1; input <= 40; input++)
        {
            for (int output = 1; output <= 40; output++)
            {
                var axis = ImageResize.AxisTaps(input, output);
                foreach (var taps in axis.Taps)
                {
                    Assert.That(taps.Sum(t => t.Weight), Is.EqualTo(axis.Denominator), $"{input} → {output}");
                    Assert.That(taps.All(t => t.Source >= 0 && t.Source < input && t.Weight > 0), $"{input} → {output}");
                }
            }
        }
    }

    [Test]
    public void FlatImage_StaysFlat_AtAnySize()
    {
        var image = new PixelImage(new ImageShape(3, 7, 11), Enumerable.Repeat((byte)173, 3 * 7 * 11).ToArray());
        foreach (var (h, w) in new[] { (1, 1), (3, 5), (7, 11), (20, 9), (64, 64) })
            Assert.That(ImageResize.Resize(image, h, w).Pixels, Is.All.EqualTo(173), $"{h}×{w}");
    }

    [Test]
    public void Channels_AreResizedIndependently()
    {
        var image = new PixelImage(new ImageShape(3, 2, 2), [0, 0, 0, 0, 100, 100, 100, 100, 10, 20, 30, 40]);
        Assert.That(ImageResize.Resize(image, 1, 1).Pixels, Is.EqualTo(new byte[] { 0, 100, 25 }));
    }

    [Test]
    public void ToGrey_IsBt601Luma_Rounded()
    {
        // 0.299·200 + 0.587·100 + 0.114·50 = 59.8 + 58.7 + 5.7 = 124.2 → 124; pure red 76.245 → 76; white 255.
        var rgb = new PixelImage(new ImageShape(3, 1, 3), [200, 255, 255, 100, 0, 255, 50, 0, 255]);
        Assert.That(ImageChannels.ToGrey(rgb).Pixels, Is.EqualTo(new byte[] { 124, 76, 255 }));
    }

    [Test]
    public void Fit_GreyToRgb_RepeatsThePlane_AfterResizing()
    {
        var grey = Grey(2, 2, 0, 100, 200, 40);
        var target = new ImageShape(3, 1, 1);
        var result = new byte[3];
        ImageFit.Apply(grey, target, result);
        Assert.That(result, Is.EqualTo(new byte[] { 85, 85, 85 })); // (0 + 100 + 200 + 40) / 4
    }
}
