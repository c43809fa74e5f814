using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Models.Tests.Checkpoints;

/// <summary>A model's recipe carries the shape of the images it was trained on, and a wrong one is refused naming the field.</summary>
public class ImageShapeRecipeTests
{
    private static readonly ModelSpec Colour = new()
    {
        Kind = "ae",
        Config = new AutoencoderConfig { InputSize = 3 * 36 * 40, Image = new ImageShape(3, 36, 40), HiddenSizes = [8], LatentSize = 2 },
    };

    [Test]
    public void TheShape_RoundTrips_AndIsAbsentWhenUnknown()
    {
        var json = AsWritten(AutoencoderRecipe.Spec(Colour));
        Assert.That(json["image"]!.ToJsonString(), Is.EqualTo("[3,36,40]"));
        var read = AutoencoderRecipe.ReadSpec(new MetadataReader("x.scratch"), json);
        Assert.That(read.Config.Image, Is.EqualTo(new ImageShape(3, 36, 40)));

        var old = AsWritten(AutoencoderRecipe.Spec(Colour with { Config = Colour.Config with { Image = null } }));
        Assert.That(old.ContainsKey("image"), Is.False, "a model built from a size alone writes what it was always written");
        Assert.That(AutoencoderRecipe.ReadSpec(new MetadataReader("x.scratch"), old).Config.Image, Is.Null);
    }

    [TestCase("[2,36,40]", "not [C, H, W]")]
    [TestCase("[3,0,40]", "not [C, H, W]")]
    [TestCase("[1,36,40]", "'recipe.model.input' is 4320")]
    public void AWrongShape_IsRefusedNamingTheField(string image, string expected)
    {
        var json = AsWritten(AutoencoderRecipe.Spec(Colour));
        json["image"] = JsonNode.Parse(image);
        var e = Assert.Throws<CheckpointFormatException>(() => AutoencoderRecipe.ReadSpec(new MetadataReader("x.scratch"), json))!;
        Assert.That(e.Message, Does.StartWith("x.scratch").And.Contain("recipe.model.image").And.Contain(expected));
    }

    // As a file holds it: written as text and parsed back, as the checkpoint reader sees it.
    private static JsonObject AsWritten(JsonObject o) => JsonNode.Parse(o.ToJsonString())!.AsObject();

    [Test]
    public void AConfigWhoseShapeIsNotItsInput_IsRefused()
    {
        var config = Colour.Config with { InputSize = 784 };
        Assert.That(Assert.Throws<ArgumentException>(config.Validate)!.Message, Does.Contain("784 inputs cannot take 36×40 RGB images (4320 values)"));
    }
}
