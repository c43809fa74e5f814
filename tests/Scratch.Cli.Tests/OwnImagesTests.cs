using Scratch.Experiments.Imaging;
using Scratch.Models.Data;

namespace Scratch.Cli.Tests;

/// <summary>A user's own folder of PNG and JPEG-free photos of parts, end to end through the CLI: train, encode, reconstruct, score, and every way the folder can be wrong.</summary>
public class OwnImagesTests
{
    private static readonly string[] Grey28 = ["--image-size", "28", "--channels", "1"];
    private static readonly string[] Tiny = ["--hidden", "32", "--latent", "4", "--batch", "16"];

    // DIR/bolt and DIR/nut, 24 RGB images each of 36×40: a bar or a disc on a dark ground, each a little different.
    private static string MakeParts(TempFolder temp, int perClass = 24)
    {
        string root = temp.File("parts");
        foreach (var part in new[] { "bolt", "nut" })
        {
            Directory.CreateDirectory(Path.Combine(root, part));
            for (int i = 0; i < perClass; i++)
            {
                var pixels = new byte[36 * 40 * 3];
                for (int y = 0; y < 36; y++)
                    for (int x = 0; x < 40; x++)
                    {
                        bool on = part == "bolt" ? Math.Abs(x - 20 - i % 5) < 4 : (x - 20) * (x - 20) + (y - 18) * (y - 18) < 60 + 4 * i;
                        int at = (y * 40 + x) * 3;
                        (pixels[at], pixels[at + 1], pixels[at + 2]) = on ? ((byte)250, (byte)(200 + i), (byte)90) : ((byte)10, (byte)10, (byte)(30 + i));
                    }
                File.WriteAllBytes(Path.Combine(root, part, $"{part}-{i:D2}.png"), PngEncoder.Encode(new Image8(40, 36, 3, pixels)));
            }
        }
        return root;
    }

    [Test]
    public void AFolderOfMyOwnImages_Trains_Encodes_Reconstructs_AndIsScored()
    {
        using var temp = new TempFolder();
        string parts = MakeParts(temp), run = temp.File("run");
        var trained = CliRunner.Ok(["train", "--model", "ae", "--data", parts, .. Grey28, "--epochs", "2", .. Tiny, "--out", run]);
        Assert.That(trained.Output, Does.Contain($"data: {parts} (image folder): 38 training and 10 test images (a 20 % holdout, seed 1), 28×28 grey, 2 classes"));
        Assert.That(trained.Output, Does.Match(@"epoch 2/2 .* \(data \d+\.\d %\)"), "each epoch says the share its batches took");

        string codes = temp.File("codes");
        var encoded = CliRunner.Ok(["encode", run, "--images", parts, .. Grey28, "--out", codes]);
        Assert.That(encoded.Output, Does.Contain("encoded 48 images"));
        var csv = File.ReadAllLines(Path.Combine(codes, "codes.csv"));
        Assert.That(csv[0], Is.EqualTo("index,file,label,z0,z1,z2,z3"));
        Assert.That(csv[1], Does.StartWith("0,bolt/bolt-00.png,0,"));
        Assert.That(csv[^1], Does.StartWith("47,nut/nut-23.png,1,"));
        var npy = NpyFile.Read(Path.Combine(codes, "codes.npy"));
        Assert.That((npy.DType, npy.Shape), Is.EqualTo((NpyDType.Float32, new[] { 48, 4 })));
        Assert.That(npy.Float32![4 * 47 + 3].ToString("R", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(csv[^1].Split(',')[^1]), "the .npy and the CSV hold the same codes");

        string reconstructions = temp.File("rec");
        CliRunner.Ok(["reconstruct", run, "--images", Path.Combine(parts, "nut"), .. Grey28, "--out", reconstructions]);
        Assert.That(Directory.GetFiles(reconstructions, "*.png"), Has.Length.EqualTo(24));
        var (w, h) = MiniPng.CheckAndGetSize(File.ReadAllBytes(Path.Combine(reconstructions, "nut-07.png")));
        Assert.That((w, h), Is.EqualTo((28, 28)));
        var errors = File.ReadAllLines(Path.Combine(reconstructions, "errors.csv"));
        Assert.That(errors[0], Is.EqualTo("index,png,re,psnr"));
        Assert.That(errors, Has.Length.EqualTo(25));
        Assert.That(errors.Skip(1).Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)), Has.All.GreaterThan(0).And.All.LessThan(1));

        string scores = temp.File("scores");
        CliRunner.Ok(["anomaly", "--score", run, "--data", parts, .. Grey28, "--classes", "0", "--images", Path.Combine(parts, "nut"), "--out", scores]);
        var scored = File.ReadAllLines(Path.Combine(scores, "scores.csv"));
        Assert.That(scored[0], Is.EqualTo("index,file,label,score,anomalous"));
        Assert.That(scored[1], Does.StartWith("0,nut-00.png,,"), "files named; a flat folder has no labels");
    }

    [Test]
    public void ColourAtItsOwnSize_TrainsTheMlpFamily_DrawsRgb_AndTheCheckpointKeepsItsShape()
    {
        using var temp = new TempFolder();
        string parts = MakeParts(temp, perClass: 8), run = temp.File("run");
        var trained = CliRunner.Ok(["train", "--model", "vae", "--data", parts, "--epochs", "1", .. Tiny, "--out", run]);
        Assert.That(trained.Output, Does.Contain("36×40 RGB").And.Contain("4320-32-4"));
        var loaded = Models.Checkpoints.ModelCheckpoint.Load(Path.Combine(run, "checkpoint.scratch"));
        Assert.That(loaded.Spec.Config.Image, Is.EqualTo(new ImageShape(3, 36, 40)), "the checkpoint says the shape it was trained on");
        var png = File.ReadAllBytes(Path.Combine(run, "reconstructions.png"));
        var (width, height) = MiniPng.CheckAndGetSize(png);
        Assert.That(png[25], Is.EqualTo(2), "an RGB PNG (colour type 2)");
        Assert.That(((width / 2 - 2) % 42, (height / 2 - 2) % 38), Is.EqualTo((0, 0)), "cells of 40×36 pixels and 2 of padding, drawn at 2×");
        CliRunner.Ok("sample", run, "--count", "4", "--out", temp.File("s.png"));

        // The same checkpoint on grey data of another size: one line naming both shapes.
        CliRunner.Run(["eval", run, "--data", parts, .. Grey28]).AssertOneLineError(2, "trained on 36×40 RGB images (4320 values)", "28×28 grey images (784 values)");
    }

    [Test]
    public void ColourAtItsOwnSize_GenerateTrainsEveryGenerator_AndScoresThem()
    {
        // The GANs and VAEs of generate, and its feature network, sized for 36×40 RGB parts (2 classes).
        using var temp = new TempFolder();
        string parts = MakeParts(temp, perClass: 40), output = temp.File("gen");
        var result = CliRunner.Ok("generate", "--quick", "--data", parts, "--out", output, "--cache", temp.File("cache"));
        Assert.That(result.Output, Does.Contain("36×40 RGB"));
        foreach (var row in new[] { "VAE (conv)", "VAE (MLP)", "DCGAN", "VAE-GAN" })
            Assert.That(result.Output, Does.Contain(row));
        foreach (var png in new[] { "dcgan.png", "vae-gan.png", "vae-conv.png", "vae-mlp.png", "real-train-images.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(output, png));
            var (width, height) = MiniPng.CheckAndGetSize(bytes);
            Assert.That(bytes[25], Is.EqualTo(2), $"{png}: RGB");
            Assert.That(((width - 2) % 42, (height - 2) % 38), Is.EqualTo((0, 0)), $"{png}: cells of 40×36 pixels and 2 of padding");
        }
        var gan = Models.Gans.GanCheckpoint.Load(Path.Combine(output, "dcgan.checkpoint.scratch"));
        Assert.That(gan.Recipe.Shape.Image, Is.EqualTo(new ImageShape(3, 36, 40)), "the GAN's checkpoint says its shape");
        CliRunner.Ok("sample", Path.Combine(output, "dcgan.checkpoint.scratch"), "--count", "4", "--out", temp.File("s.png"));
        Assert.That(File.ReadAllBytes(temp.File("s.png"))[25], Is.EqualTo(2), "GAN samples in colour");
    }

    [Test]
    public void ATextFileNamedPng_IsOneLineNamingIt_NothingWritten_OrSkippedWithSkipBad()
    {
        using var temp = new TempFolder();
        string parts = MakeParts(temp, perClass: 6);
        string fake = Path.Combine(parts, "nut", "notes.png");
        File.WriteAllText(fake, "not a picture");
        CliRunner.Run(["train", "--data", parts, .. Grey28, "--epochs", "1", .. Tiny, "--out", temp.File("run")])
            .AssertOneLineError(2, fake);
        Assert.That(Directory.Exists(temp.File("run")), Is.False, "nothing written");

        var skipped = CliRunner.Ok(["train", "--data", parts, .. Grey28, "--skip-bad", "--epochs", "1", .. Tiny, "--out", temp.File("run")]);
        Assert.That(skipped.Output, Does.Contain("skipped 1"));
    }

    [Test]
    public void ADecompressionBomb_IsRefusedByItsHeader_NamingThePixelLimit()
    {
        using var temp = new TempFolder();
        string parts = MakeParts(temp, perClass: 3);
        // A valid PNG signature and IHDR claiming 60000×60000 RGB, then nothing: 10.8 GB if believed.
        var png = PngEncoder.Encode(new Image8(1, 1, 3, new byte[3]));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 60000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 60000);
        string bomb = Path.Combine(parts, "bolt", "bomb.png");
        File.WriteAllBytes(bomb, png);
        CliRunner.Run(["train", "--data", parts, .. Grey28, "--out", temp.File("run")])
            .AssertOneLineError(2, bomb, "60000×60000", "50,000,000");
    }

    [Test]
    public void MixedSizesWithoutImageSize_NameTheSizesFound()
    {
        using var temp = new TempFolder();
        string parts = MakeParts(temp, perClass: 3);
        File.WriteAllBytes(Path.Combine(parts, "nut", "small.png"), PngEncoder.Encode(new Image8(12, 10, 1, new byte[120])));
        CliRunner.Run("train", "--data", parts, "--channels", "1", "--out", temp.File("run"))
            .AssertOneLineError(2, "36×40", "10×12", "--image-size");
    }

    [Test]
    public void AnIdxFolderReadAtAnotherSize_IsResampledOnTheWayIn()
    {
        // The bundled digits at 14×14 (area-averaged 2×2 blocks): a 196-input model, and a checkpoint that says so.
        using var temp = new TempFolder();
        var result = CliRunner.Ok(["train", "--model", "ae", "--image-size", "14", "--epochs", "1", .. Tiny, "--train-limit", "64", "--test-limit", "32", "--out", temp.File("run")]);
        Assert.That(result.Output, Does.Contain("(idx): 7,996 training and 2,004 test images, 14×14 grey").And.Contain("196-32-4"));
        var loaded = Models.Checkpoints.ModelCheckpoint.Load(temp.File("run/checkpoint.scratch"));
        Assert.That(loaded.Spec.Config.Image, Is.EqualTo(new ImageShape(1, 14, 14)));
    }

    [TestCase("--image-size", "0", "--image-size '0'")]
    [TestCase("--image-size", "28x", "--image-size '28x'")]
    [TestCase("--channels", "2", "--channels '2'")]
    [TestCase("--test-fraction", "1", "--test-fraction '1'")]
    public void BadDataOptions_AreParseErrors(string option, string value, string expected)
    {
        CliRunner.Run("train", option, value).AssertOneLineError(2, expected);
    }

    [Test]
    public void ANpyOfTheWrongDtype_IsOneLineNamingTheFileAndField()
    {
        using var temp = new TempFolder();
        string file = temp.File("images.npy");
        // numpy's header for int64 (N, H, W), as np.save writes it.
        string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3, 3), }";
        header = header.PadRight(64 - 10 - 1) + "\n";
        File.WriteAllBytes(file, [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. new byte[2 * 9 * 8]]);
        CliRunner.Run("train", "--data", file, "--out", temp.File("run")).AssertOneLineError(2, file, "descr");
    }
}
