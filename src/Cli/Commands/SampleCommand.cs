using System.CommandLine;
using Scratch.Cli.Pictures;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Commands;

/// <summary>scratch sample: new digits from a VAE's prior, as a PNG grid.</summary>
public static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A VAE's checkpoint.scratch" };
        var count = new Option<int>("--count") { Description = "How many digits to draw (8 per row)", DefaultValueFactory = _ => 64 };
        count.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 4096) r.AddError("--count must be between 1 and 4096"); });
        var seed = new Option<ulong>("--seed") { Description = "Seed of the latent samples z ~ N(0, I)", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out") { Description = "The PNG file to write", DefaultValueFactory = _ => "samples.png" };
        var device = CommonOptions.Device();
        var command = new Command("sample", "Draw new digits from a VAE checkpoint's prior into a PNG grid") { checkpoint, count, seed, output, device };
        command.SetAction(parse =>
        {
            var dev = Device.Parse(parse.GetValue(device)!);
            string path = parse.GetValue(checkpoint)!;
            var loaded = ModelCheckpoint.Load(path);
            if (loaded.Model is not VariationalAutoencoder vae)
                throw new UsageException($"{path} holds a '{loaded.Spec.Kind}' model; only a VAE (--model vae) has a prior to sample from");
            vae.To(dev);
            int rows = (int)Math.Round(Math.Sqrt(vae.Config.InputSize));
            if (rows * rows != vae.Config.InputSize)
                throw new UsageException($"{path}: the model's {vae.Config.InputSize} outputs are not a square image");
            var picture = ModelPictures.Samples(vae, parse.GetValue(count), parse.GetValue(seed), rows, rows);
            string file = parse.GetValue(output)!;
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (folder is not null) Directory.CreateDirectory(folder);
            File.WriteAllBytes(file, picture.Png);
            context.Line($"wrote {parse.GetValue(count)} samples to {file}");
            return 0;
        });
        return command;
    }
}
