using Scratch.Experiments.Imaging;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;

namespace Scratch.Cli.Tests;

// A folder of 40×40 RGB photos through the CLI, for every model: the MLP family and the conv family
// (sized for 40×40 by ConvStages: 3 → 4 → 8 → 16 channels down to 5×5) train at the images' own
// size, write a checkpoint that says 40×40 RGB and reconstructions drawn in 40×40 colour cells, and
// are scored by eval; the VAEs sample in colour; and a checkpoint offered the bundled 28×28 grey
// digits refuses them in one line naming both shapes. One epoch of two steps each: about a second.
public class RgbFolderEveryModelTests
{
    private static readonly ImageShape Rgb40 = new(3, 40, 40);
    private static readonly string[] Mlp = ["--hidden", "32", "--latent", "4", "--batch", "8", "--epochs", "1"];
    private static readonly string[] Conv = ["--arch", "conv", "--width", "4", "--latent", "4", "--batch", "8", "--epochs", "1"];

    // DIR/disc and DIR/stripes, 10 RGB images each of 40×40: a disc or diagonal stripes, each a little different.
    private static string MakeFolder(TempFolder temp)
    {
        string root = temp.File("photos");
        foreach (var kind in new[] { "disc", "stripes" })
        {
            Directory.CreateDirectory(Path.Combine(root, kind));
            for (int i = 0; i < 10; i++)
            {
                var pixels = new byte[40 * 40 * 3];
                for (int y = 0; y < 40; y++)
                    for (int x = 0; x < 40; x++)
                    {
                        bool on = kind == "disc" ? (x - 20) * (x - 20) + (y - 19) * (y - 19) < 40 + 20 * i : (x + y + i) % 8 < 3;
                        int at = (y * 40 + x) * 3;
                        (pixels[at], pixels[at + 1], pixels[at + 2]) = on ? ((byte)(200 + 5 * i), (byte)(60 + 3 * x), (byte)40) : ((byte)20, (byte)(10 + i), (byte)(90 + 2 * y));
                    }
                File.WriteAllBytes(Path.Combine(root, kind, $"{kind}-{i}.png"), PngEncoder.Encode(new Image8(40, 40, 3, pixels)));
            }
        }
        return root;
    }

    [TestCase("ae", "mlp")]
    [TestCase("sparse", "mlp")]
    [TestCase("denoising", "mlp")]
    [TestCase("vae", "mlp")]
    [TestCase("contractive", "mlp")]
    [TestCase("ae", "conv")]
    [TestCase("denoising", "conv")]
    [TestCase("vae", "conv")]
    public void Train_Eval_Sample_AtTheFolders40x40Rgb(string model, string arch)
    {
        using var temp = new TempFolder();
        string photos = MakeFolder(temp), run = temp.File("run");
        string sizes = arch == "conv" ? "conv 3-4-8-16-4" : "4800-32-4";
        var trained = CliRunner.Ok(["train", "--model", model, "--data", photos, .. arch == "conv" ? Conv : Mlp, "--out", run]);
        Assert.That(trained.Output, Does.Contain("40×40 RGB").And.Contain(sizes));

        var loaded = ModelCheckpoint.Load(Path.Combine(run, ModelCheckpoint.FileName));
        Assert.That((loaded.Spec.Kind, loaded.Spec.Config.Image, loaded.Spec.Config.Architecture, loaded.EpochsDone),
            Is.EqualTo((model, (ImageShape?)Rgb40, arch == "conv" ? Architecture.Conv : Architecture.Mlp, 1)));
        Assert.That(loaded.Spec.Config.Describe(), Is.EqualTo(sizes));

        // Rows of test images above their reconstructions: 40×40 cells with 2 pixels of padding, drawn at 2×.
        var png = File.ReadAllBytes(Path.Combine(run, "reconstructions.png"));
        var (width, height) = MiniPng.CheckAndGetSize(png);
        Assert.That(png[25], Is.EqualTo(2), "an RGB PNG (colour type 2)");
        Assert.That(((width / 2 - 2) % 42, height / 2), Is.EqualTo((0, 2 * 42 + 2)), "one row of test images and one of reconstructions, 40×40 each");

        var eval = CliRunner.Ok("eval", run, "--data", photos);
        Assert.That(eval.Output, Does.Contain($"{model} {sizes} after 1 epochs").And.Contain("PSNR dB"));

        if (model == "vae")
        {
            string samples = temp.File("samples.png");
            CliRunner.Ok("sample", run, "--count", "4", "--out", samples);
            var drawn = File.ReadAllBytes(samples);
            Assert.That(MiniPng.CheckAndGetSize(drawn), Is.EqualTo((2 * (4 * 42 + 2), 2 * 44)), "four 40×40 samples in a row, at 2×");
            Assert.That(drawn[25], Is.EqualTo(2), "in colour");
        }

        CliRunner.Run("eval", run, "--data", DataSource.SampleDirectory())
            .AssertOneLineError(2, "trained on 40×40 RGB images (4800 values)", "28×28 grey images (784 values)");
    }
}
