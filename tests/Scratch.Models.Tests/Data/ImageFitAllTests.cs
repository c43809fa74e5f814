using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class ImageFitAllTests
{
    [Test]
    public void TheDigitsAtHalfSize_AreTheRoundedMeansOfTwoByTwoBlocks_LabelsKept()
    {
        var digits = DataSource.Sample().Test.Take(3);
        var half = ImageFit.All(digits, new DataOptions { ImageSize = (14, 14) });
        Assert.That((half.Count, half.Shape), Is.EqualTo((3, new ImageShape(1, 14, 14))));
        Assert.That(half.Labels, Is.EqualTo(digits.Labels));
        for (int n = 0; n < 3; n++)
        {
            var source = digits.Image(n);
            var small = half.Image(n);
            for (int y = 0; y < 14; y++)
                for (int x = 0; x < 14; x++)
                {
                    int sum = source[2 * y * 28 + 2 * x] + source[2 * y * 28 + 2 * x + 1] + source[(2 * y + 1) * 28 + 2 * x] + source[(2 * y + 1) * 28 + 2 * x + 1];
                    Assert.That(small[y * 14 + x], Is.EqualTo((sum + 2) / 4), $"image {n} pixel ({y}, {x}): the mean, rounded half up");
                }
        }
    }

    [Test]
    public void GreyToRgb_RepeatsThePlane_AndTheSameShapeIsTheSameSet()
    {
        var digits = DataSource.Sample().Test.Take(2);
        Assert.That(ImageFit.All(digits, new DataOptions()), Is.SameAs(digits));
        var rgb = ImageFit.All(digits, new DataOptions { Channels = 3 });
        Assert.That(rgb.Shape, Is.EqualTo(new ImageShape(3, 28, 28)));
        var image = rgb.Image(1).ToArray();
        Assert.That(image[..784], Is.EqualTo(digits.Image(1).ToArray()));
        Assert.That(image[784..1568], Is.EqualTo(image[..784]));
        Assert.That(image[1568..], Is.EqualTo(image[..784]));
    }
}
