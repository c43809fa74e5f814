using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Cli.Tests;

/// <summary>--data colour-mnist: the bundled sample coloured as the AVAE paper's ColorMnist, by name, on any command.</summary>
public class ColourMnistCommandTests
{
    [Test]
    public void TheMlpVae_TrainsOnColourMnist_AndEvalReadsItByName()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        var trained = CliRunner.Ok(["train", "--model", "vae", "--data", "colour-mnist", "--epochs", "1", "--out", run, .. TinyRuns.TinyRecipe]);
        Assert.That(trained.Output, Does.Contain("data: colour-mnist: 7,996 training and 2,004 test images, 28×28 RGB, 10 classes"));
        Assert.That(trained.Output, Does.Contain("2352-32-2"), "3×28×28 = 2,352 inputs");
        var loaded = ModelCheckpoint.Load(Path.Combine(run, "checkpoint.scratch"));
        Assert.That(loaded.Spec.Config.Image, Is.EqualTo(new ImageShape(3, 28, 28)));
        Assert.That(File.ReadAllBytes(Path.Combine(run, "reconstructions.png"))[25], Is.EqualTo(2), "drawn as an RGB PNG (colour type 2)");

        var evaluated = CliRunner.Ok("eval", Path.Combine(run, "checkpoint.scratch"), "--data", "color-mnist", "--limit", "50");
        Assert.That(evaluated.Output, Does.Contain("50 images"));
    }

    [Test]
    public void AColourMnistFolderThatIsNotThere_IsOneLineNamingIt()
    {
        using var temp = new TempFolder();
        string missing = temp.File("no-mnist-here");
        CliRunner.Run(["train", "--data", $"colour-mnist:{missing}", "--out", temp.File("run"), .. TinyRuns.TinyRecipe])
            .AssertOneLineError(2, $"colour-mnist:{missing}", "does not exist");
        Assert.That(Directory.Exists(temp.File("run")), Is.False, "nothing written");
    }
}
