using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Experiments.Imaging;

namespace Scratch.Cli.Pictures;

/// <summary>A picture of a run: its file name, a caption for the report, and the PNG bytes.</summary>
public sealed record Picture(string FileName, string Caption, byte[] Png);

/// <summary>
/// The pictures that show what a model learned, drawn from test digits: reconstructions for all,
/// noisy / clean / denoised for the denoising AE, samples from the prior for the VAE, and a walk
/// through the latent space between pairs of digits.
/// </summary>
public static class ModelPictures
{
    public const int Columns = 16;

    /// <summary>The file names <see cref="All"/> draws for <paramref name="model"/>, in order: a finished run has every one.</summary>
    public static IReadOnlyList<string> FileNames(Autoencoder model) =>
    [
        "reconstructions.png",
        .. model is DenoisingAutoencoder ? ["denoising.png"] : Array.Empty<string>(),
        .. model is VariationalAutoencoder ? ["samples.png"] : Array.Empty<string>(),
        "interpolation.png",
    ];

    public static IReadOnlyList<Picture> All(Autoencoder model, ImageSet test, ulong seed)
    {
        var pictures = new List<Picture> { Reconstructions(model, test) };
        if (model is DenoisingAutoencoder dae) pictures.Add(Denoising(dae, test, seed));
        if (model is VariationalAutoencoder vae) pictures.Add(Samples(vae, 64, seed, test.Shape));
        pictures.Add(Interpolation(model, test));
        return pictures;
    }

    /// <summary>Two pairs of rows: test digits above their reconstructions.</summary>
    public static Picture Reconstructions(Autoencoder model, ImageSet test)
    {
        int n = Math.Min(2 * Columns, test.Count);
        int half = Math.Min(Columns, n);
        var originals = Slice(test, 0, n);
        var reconstructed = ToHost(model.Reconstruct(OnDevice(model, originals, n, test.PixelsPerImage)));
        int p = test.PixelsPerImage;
        var rows = new List<float[]> { originals[..(half * p)], reconstructed[..(half * p)] };
        if (n > half) rows.AddRange([originals[(half * p)..], reconstructed[(half * p)..]]);
        return Png("reconstructions.png", "Test digits (odd rows) above their reconstructions (even rows)", rows, test);
    }

    /// <summary>Rows: the noisy input, the clean digit, the denoised output.</summary>
    public static Picture Denoising(DenoisingAutoencoder model, ImageSet test, ulong seed)
    {
        int n = Math.Min(Columns, test.Count);
        var clean = Slice(test, 0, n);
        var noisy = model.Corruption.Apply(OnDevice(model, clean, n, test.PixelsPerImage), new Rng(seed));
        var denoised = model.Denoise(noisy);
        return Png("denoising.png", $"Noisy inputs ({model.Corruption.Describe()}), the clean digits, and what the model made of the noisy ones",
            [ToHost(noisy), clean, ToHost(denoised)], test);
    }

    /// <summary>New digits: z ~ N(0, I) decoded, 8 per row.</summary>
    public static Picture Samples(VariationalAutoencoder model, int count, ulong seed, ImageShape shape) =>
        Samples(model.Sample(count, new Rng(seed)), count, "decoded from z ~ N(0, I)", shape);

    /// <summary>count samples (count, rows·cols) of any generator, 8 per row.</summary>
    public static Picture Samples(Tensor samples, int count, string how, ImageShape shape)
    {
        var image = ImageGrid.Tile(ToHost(samples), count, shape.Height, shape.Width, columns: Math.Min(8, count), channels: shape.Channels);
        return new Picture("samples.png", $"{count} images {how}", PngEncoder.Encode(image.Upscale(Scale)));
    }

    /// <summary>
    /// For four pairs of test digits of different classes: the first digit, ten decodings of
    /// points evenly spaced on the segment between the two codes, the second digit. A VAE's code
    /// is its posterior mean μ.
    /// </summary>
    public static Picture Interpolation(Autoencoder model, ImageSet test, int steps = 10)
    {
        int p = test.PixelsPerImage, latent = model.Config.LatentSize;
        var rows = new List<float[]>();
        foreach (var (a, b) in Pairs(test, 4))
        {
            var ends = Slice(test, a, 1).Concat(Slice(test, b, 1)).ToArray();
            float[] codes;
            using (NoGrad.Scope())
                codes = ToHost(model.Encode(OnDevice(model, ends, 2, p)).Data);   // (2, Latent)
            var path = new float[steps * latent];                                  // (steps, Latent)
            for (int s = 0; s < steps; s++)
            {
                float t = steps == 1 ? 0 : (float)s / (steps - 1);
                for (int j = 0; j < latent; j++)
                    path[s * latent + j] = (1 - t) * codes[j] + t * codes[latent + j];
            }
            float[] decoded;
            using (NoGrad.Scope())
                decoded = ToHost(model.Decode(OnDevice(model, path, steps, latent)).Data.Sigmoid());
            rows.Add([.. ends[..p], .. decoded, .. ends[p..]]);
        }
        return Png("interpolation.png", "A walk through the code space: left and right are test digits, between them decodings of points on the straight line between their codes", rows, test);
    }

    // Test images of classes (0, 1), (2, 3), …: easy to see the digit morph. Falls back to
    // neighbouring images when a class is missing (a tiny test split).
    private static IEnumerable<(int A, int B)> Pairs(ImageSet test, int count)
    {
        for (int k = 0; k < count; k++)
        {
            int a = Array.IndexOf(test.Labels, 2 * k), b = Array.IndexOf(test.Labels, 2 * k + 1);
            if (a < 0 || b < 0) { a = (2 * k) % test.Count; b = (2 * k + 1) % test.Count; }
            yield return (a, b);
        }
    }

    private static float[] Slice(ImageSet split, int start, int count) => split.ToFloats(start, count);

    // values: (n, width) on the model's device and dtype
    private static Tensor OnDevice(Autoencoder model, float[] values, int n, int width) =>
        Tensor.FromArray(values, n, width).To(model.Config.DType).To(model.Parameters().First().Data.Device);

    private static float[] ToHost(Tensor t) => t.To(Device.Cpu).To(DType.Float32).Contiguous().ToArray<float>();

    private static Picture Png(string file, string caption, IReadOnlyList<float[]> rows, ImageSet split) =>
        new(file, caption, PngEncoder.Encode(ImageGrid.Compose(rows, split.Rows, split.Cols, channels: split.Shape.Channels).Upscale(Scale)));

    /// <summary>Pictures are written at twice the pixel size of the digits, legible when opened alone.</summary>
    public const int Scale = 2;
}
