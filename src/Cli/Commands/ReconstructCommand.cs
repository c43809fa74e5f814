using System.CommandLine;
using System.Globalization;
using System.Text;
using Scratch.Experiments.Evaluation;
using Scratch.Experiments.Imaging;
using Scratch.Experiments.Metrics;
using Scratch.Models.Data;
using Scratch.Models.Files;

namespace Scratch.Cli.Commands;

/// <summary>scratch reconstruct: a trained model's reconstruction of every image as a PNG, and each one's error.</summary>
public static class ReconstructCommand
{
    public static Command Create(CliContext context)
    {
        var own = new OwnImages("reconstruct", "the PNGs and errors.csv", "reconstructions");
        var command = new Command("reconstruct", "Write a model's reconstruction of each image as a PNG, and errors.csv (MSE per pixel and PSNR of each)");
        own.AddTo(command);
        command.SetAction(parse =>
        {
            var (loaded, source, set, device, folder) = own.Load(parse, context);
            var reconstructed = Reconstruction.Reconstruct(loaded.Model, set, device);   // (N, P), finite or refused
            var originals = set.ToFloats();

            using var held = Runs.RunLock.Take(folder);
            var names = PngNames(set.Count, source.Names);
            int p = set.PixelsPerImage;
            var shape = set.Shape;
            for (int i = 0; i < set.Count; i++)
            {
                var image = Image8.FromPlanes(reconstructed.AsSpan(i * p, p), shape.Channels, shape.Width, shape.Height);
                PngEncoder.Write(Path.Combine(folder, names[i]), image);
            }
            string csv = Path.Combine(folder, "errors.csv");
            AtomicFile.WriteAllText(csv, Csv(originals, reconstructed, set, names));
            double mean = ReconstructionError.Mse(originals, reconstructed);
            context.Line(string.Format(CultureInfo.InvariantCulture, "reconstructed {0} images of {1} with {2} {3}: mean RE {4:F6} (MSE per pixel); wrote {0} PNGs and {5}",
                set.Count, source.Path, loaded.Spec.Kind, loaded.Spec.Config.Describe(), mean, csv));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The PNG of image i: its own file's name with .png (folders flattened with "__", so two
    /// photo.jpg in two class folders do not collide), or its index, zero-padded, for an array file.
    /// </summary>
    public static string[] PngNames(int count, IReadOnlyList<string>? files)
    {
        int digits = Math.Max(1, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var names = new string[count];
        for (int i = 0; i < count; i++)
            names[i] = files is null
                ? i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0') + ".png"
                : Path.ChangeExtension(files[i].Replace('/', '_').Replace('\\', '_'), ".png");
        if (files is not null && names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != count)
            for (int i = 0; i < count; i++) names[i] = $"{i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}-{names[i]}";
        return names;
    }

    /// <summary>index,png[,label],re,psnr: each image's MSE per pixel and PSNR (dB, peak 1).</summary>
    public static string Csv(float[] originals, float[] reconstructed, ImageSet set, string[] names)
    {
        var c = CultureInfo.InvariantCulture;
        int p = set.PixelsPerImage;
        var sb = new StringBuilder(set.IsLabelled ? "index,png,label,re,psnr\n" : "index,png,re,psnr\n");
        for (int i = 0; i < set.Count; i++)
        {
            double mse = ReconstructionError.Mse(originals.AsSpan(i * p, p), reconstructed.AsSpan(i * p, p));
            sb.Append(i.ToString(c)).Append(',').Append(AnomalyScoring.CsvCell(names[i]));
            if (set.IsLabelled) sb.Append(',').Append(set.Labels[i].ToString(c));
            sb.Append(',').Append(mse.ToString("R", c)).Append(',').Append(Psnr.FromMse(mse).ToString("R", c)).Append('\n');
        }
        return sb.ToString();
    }
}
