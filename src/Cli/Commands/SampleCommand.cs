using System.CommandLine;
using Scratch.Cli.Pictures;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Gans;

namespace Scratch.Cli.Commands;

/// <summary>scratch sample: new images from a VAE's prior or a GAN's generator, as a PNG grid.</summary>
public static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = OptionRules.PathArgument("checkpoint", "A VAE's checkpoint.scratch (or its run folder), or a GAN's (generate's dcgan.checkpoint.scratch, vae-gan.checkpoint.scratch)");
        var count = OptionRules.Int("--count", "How many digits to draw (8 per row)", 64, 1, 4096);
        var seed = OptionRules.Seed("--seed", "Seed of the latent samples z ~ N(0, I)", 1UL);
        var output = OptionRules.WithOutputAliases(OptionRules.Text("--out", "The PNG file to write", "samples.png"));
        var device = CommonOptions.Device();
        var overwrite = CommonOptions.OverwriteFile();
        var command = new Command("sample", "Draw new images from a VAE's prior or a GAN's generator into a PNG grid") { checkpoint, count, seed, output, device, overwrite };
        command.SetAction(parse =>
        {
            var dev = Device.Parse(parse.GetValue(device)!);
            string path = CommonOptions.CheckpointFile(parse.GetValue(checkpoint)!);
            string file = CommonOptions.OutputFile(parse.GetValue(output)!, "samples.png", parse.GetValue(overwrite));
            int n = parse.GetValue(count);
            ulong s = parse.GetValue(seed);
            Picture picture;
            if (TrainingState.Read(path).Content is DcganTrainer.CheckpointContent or VaeGanTrainer.CheckpointContent)
            {
                var gan = GanCheckpoint.Load(path);
                if (dev != Device.Cpu) throw new UsageException($"sample: a GAN checkpoint samples on the cpu (its networks are restored there); drop --device {dev}");
                picture = ModelPictures.Samples(gan.Sample(n, new Rng(s)), n, "z ~ N(0, I) through the generator", gan.Recipe.Shape.Image);
            }
            else
            {
                var loaded = ModelCheckpoint.Load(path);
                if (loaded.Model is not VariationalAutoencoder vae)
                    throw new UsageException($"{path} holds a '{loaded.Spec.Kind}' model; only a VAE (--model vae or avae) or a GAN has a prior to sample from");
                vae.To(dev);
                picture = ModelPictures.Samples(vae, n, s, vae.Config.Image ?? SquareGrey(path, vae.Config.InputSize));
            }
            Models.Files.AtomicFile.WriteAllBytes(file, picture.Png);
            context.Line($"wrote {n} samples to {file}");
            return 0;
        });
        return command;
    }

    // A checkpoint from before images had a shape in their recipe: a square grey image, or refused.
    private static Models.Data.ImageShape SquareGrey(string path, int inputs)
    {
        int side = (int)Math.Round(Math.Sqrt(inputs));
        if (side * side != inputs)
            throw new UsageException($"{path}: the model's {inputs} outputs are not a square image, and its recipe names no image shape");
        return new Models.Data.ImageShape(1, side, side);
    }
}
