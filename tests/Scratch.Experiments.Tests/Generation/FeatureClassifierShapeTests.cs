using Scratch.Experiments.Generation;
using Scratch.Models.Data;

namespace Scratch.Experiments.Tests.Generation;

/// <summary>The feature network on any C×H×W: its sizes follow the stated rule, 28×28 grey is the LeNet it always was, and the recipe's key reads back.</summary>
public class FeatureClassifierShapeTests
{
    private static readonly ClassifierRecipe Small = new() { Channels1 = 4, Channels2 = 8, Hidden = 16, Seed = 2 };

    [TestCase(1, 28, 28, 4 * 8, 25 * 8)]     // block 5×5, pooled 2×2: the LeNet of the digits
    [TestCase(3, 32, 32, 4 * 8, 36 * 8)]     // block 6×6, pooled 3×3 windows → 2×2
    [TestCase(3, 20, 20, 9 * 8, 9 * 8)]      // block 3×3, windows of 1 → 3×3
    [TestCase(3, 48, 32, 4 * 8, 10 * 6 * 8)] // block 10×6 → 2×2
    [TestCase(1, 64, 64, 4 * 8, 14 * 14 * 8)]
    public void Sizes_FollowTheRule_EmbedGivesOneRowPerImage(int c, int h, int w, int featureSize, int headInputs)
    {
        var image = new ImageShape(c, h, w);
        var net = new FeatureClassifier(Small, image, classes: 7, new Rng(1));
        Assert.That(net.FeatureSize, Is.EqualTo(featureSize));
        var shapes = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Data.ShapeArray);
        Assert.That(shapes["body.1.weight"], Is.EqualTo(new[] { 4, c, 5, 5 }));
        Assert.That(shapes["head.1.weight"], Is.EqualTo(new[] { 16, headInputs }));
        Assert.That(shapes["head.4.weight"], Is.EqualTo(new[] { 7, 16 }));
        var images = new float[3 * image.Pixels];
        for (int i = 0; i < images.Length; i++) images[i] = (i * 37 % 101) / 100f;
        var features = net.Embed(images, 3);
        Assert.That((features.Count, features.Dim), Is.EqualTo((3, featureSize)));
    }

    [Test]
    public void TooSmallOrOneClass_OneLineNamingIt()
    {
        var small = Assert.Throws<ArgumentException>(() => new FeatureClassifier(Small, new ImageShape(3, 12, 40), 10, new Rng(1)))!;
        Assert.That(small.Message, Does.Contain("16×16").And.Contain("12×40 RGB"));
        var one = Assert.Throws<ArgumentException>(() => new FeatureClassifier(Small, ImageShape.Mnist, 1, new Rng(1)))!;
        Assert.That(one.Message, Does.Contain("1 class"));
        var net = new FeatureClassifier(Small, ImageShape.Mnist, 10, new Rng(1));
        var wrong = Assert.Throws<ArgumentException>(() => net.Embed(new float[3 * 2352], 3))!;
        Assert.That(wrong.Message, Does.Contain("28×28 grey"));
    }

    [Test]
    public void RecipeKey_ReadsBack_OtherTextIsNotARecipe()
    {
        var recipe = new ClassifierRecipe { Channels1 = 6, Channels2 = 12, Hidden = 50, Epochs = 4, BatchSize = 32, LearningRate = 3e-4, MaxShift = 1, Dropout = 0.25, Seed = 99 };
        Assert.That(ClassifierRecipe.Parse(recipe.Key), Is.EqualTo(recipe));
        Assert.That(ClassifierRecipe.Parse(new ClassifierRecipe().Key), Is.EqualTo(new ClassifierRecipe()));
        Assert.That(ClassifierRecipe.Parse("lenet-c6-12"), Is.Null);
        Assert.That(ClassifierRecipe.Parse(recipe.Key + "x"), Is.Null);
        Assert.That(ClassifierRecipe.Parse(recipe.Key.Replace("drop0.25", "drop1.5")), Is.Null, "a dropout of 1.5 is no recipe");
    }
}
