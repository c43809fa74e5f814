using System.CommandLine;
using System.Globalization;
using System.Text;
using Scratch.Experiments.Evaluation;
using Scratch.Models.Data;
using Scratch.Models.Files;

namespace Scratch.Cli.Commands;

/// <summary>scratch encode: a trained model's code of every image, as CSV and .npy.</summary>
public static class EncodeCommand
{
    public static Command Create(CliContext context)
    {
        var own = new OwnImages("encode", "codes.csv and codes.npy", "codes");
        var command = new Command("encode", "Write a model's code of each image (a VAE's posterior mean) as codes.csv and codes.npy");
        own.AddTo(command);
        command.SetAction(parse =>
        {
            var (loaded, source, set, device, folder) = own.Load(parse, context);
            var codes = Codes.Encode(loaded.Model, set, device);   // (N, L)
            int latent = loaded.Spec.Config.LatentSize;

            using var held = Runs.RunLock.Take(folder);
            string csv = Path.Combine(folder, "codes.csv"), npy = Path.Combine(folder, "codes.npy");
            AtomicFile.WriteAllText(csv, Csv(codes, set.Count, latent, set.IsLabelled ? set.Labels : null, source.Names));
            NpyFile.WriteFloat32(npy, codes, [set.Count, latent]);
            context.Line($"encoded {set.Count} images of {source.Path} with {loaded.Spec.Kind} {loaded.Spec.Config.Describe()}: wrote {csv} and {npy} ({set.Count}×{latent} float32)");
            return 0;
        });
        return command;
    }

    /// <summary>index[,file][,label],z0,…,z(L−1): one row per image, in the order of the source.</summary>
    public static string Csv(float[] codes, int count, int latent, int[]? labels, IReadOnlyList<string>? files)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("index");
        if (files is not null) sb.Append(",file");
        if (labels is not null) sb.Append(",label");
        for (int j = 0; j < latent; j++) sb.Append(c, $",z{j}");
        sb.Append('\n');
        for (int i = 0; i < count; i++)
        {
            sb.Append(i.ToString(c));
            if (files is not null) sb.Append(',').Append(AnomalyScoring.CsvCell(files[i]));
            if (labels is not null) sb.Append(',').Append(labels[i].ToString(c));
            for (int j = 0; j < latent; j++) sb.Append(',').Append(codes[i * latent + j].ToString("R", c));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
