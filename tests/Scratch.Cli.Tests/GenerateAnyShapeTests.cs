using Scratch.Experiments.Imaging;

namespace Scratch.Cli.Tests;

/// <summary>
/// generate on images other than grey digits: colour MNIST end to end (RGB grids, a feature network
/// for 3×28×28), and a folder without labels, which has no labels to train a feature network on and
/// is scored with a labelled run's network of the same shape — or refused in one line.
/// </summary>
public class GenerateAnyShapeTests
{
    [Test]
    public void ColourImages_RgbGrids_AnUnlabelledFolderScoredWithALabelledRunsFeatureNetwork()
    {
        using var temp = new TempFolder();
        string cache = temp.File("cache"), colour = temp.File("colour");
        var result = CliRunner.Ok("generate", "--quick", "--models", "dcgan,vae-conv", "--data", "colour-mnist", "--out", colour, "--cache", cache);
        Assert.That(result.Output, Does.Contain("DCGAN").And.Contain("VAE (conv)"));
        foreach (var png in new[] { "dcgan.png", "vae-conv.png", "real-train-images.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(colour, png));
            Assert.That(bytes[25], Is.EqualTo(2), $"{png}: PNG colour type 2 (RGB)");
        }
        string rgbFeatures = Directory.GetFiles(cache, "*.safetensors").Single();

        // 200 unlabelled 28×28 RGB pictures in one flat folder.
        string folder = temp.File("mine");
        Directory.CreateDirectory(folder);
        var rng = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var pixels = new byte[28 * 28 * 3];
            rng.NextBytes(pixels);
            PngEncoder.Write(Path.Combine(folder, $"img{i:D3}.png"), new Image8(28, 28, 3, pixels));
        }
        CliRunner.Run("generate", "--quick", "--models", "dcgan", "--data", folder, "--out", temp.File("a"), "--cache", cache)
            .AssertOneLineError(2, "no labels", "--features");
        var scored = CliRunner.Ok("generate", "--quick", "--models", "dcgan", "--data", folder, "--features", rgbFeatures, "--out", temp.File("b"), "--cache", cache);
        Assert.That(scored.Output, Does.Contain("DCGAN").And.Contain(Path.GetFileName(rgbFeatures)));

        // A grey run's feature network does not score RGB images.
        string greyCache = temp.File("grey-cache");
        CliRunner.Ok("generate", "--quick", "--models", "dcgan", "--out", temp.File("grey"), "--cache", greyCache);
        string greyFeatures = Directory.GetFiles(greyCache, "*.safetensors").Single();
        CliRunner.Run("generate", "--quick", "--models", "dcgan", "--data", folder, "--features", greyFeatures, "--out", temp.File("c"), "--cache", cache)
            .AssertOneLineError(1, "28×28 grey", "28×28 RGB");   // a file that does not fit: a runtime error, as every checkpoint refusal
        CliRunner.Run("generate", "--quick", "--data", folder, "--features", temp.File("none.safetensors"), "--out", temp.File("d"))
            .AssertOneLineError(2, "--features", "no such file");
    }

    [Test]
    public void ImagesTooSmallForTheFeatureNetwork_OneLine()
    {
        CliRunner.Run("generate", "--quick", "--image-size", "12", "--out", TinyRuns.Folder + "/small-gen")
            .AssertOneLineError(2, "at least 16×16", "12×12");
    }
}
