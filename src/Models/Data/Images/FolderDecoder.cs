using System.Diagnostics;
using Scratch.Kernels;

namespace Scratch.Models.Data;

/// <summary>The decoded images of a list of files: all of one shape, in file order, the unusable ones left out (when allowed).</summary>
/// <param name="Shape">The shape every image was brought to.</param>
/// <param name="Pixels">(Kept.Length, C, H, W) bytes.</param>
/// <param name="Kept">The index in the file list of each image in <see cref="Pixels"/>, ascending.</param>
internal sealed record DecodedFiles(ImageShape Shape, byte[] Pixels, int[] Kept);

/// <summary>
/// Decodes a folder's image files on the engine's worker pool, in two passes: the headers first
/// (a few bytes each), which fix the target shape and catch a decompression bomb before anything
/// big is allocated; then the pixels, each image decoded, converted and resized straight into its
/// slot of one byte array, so a folder of large photos never sits in memory at full size.
/// </summary>
internal static class FolderDecoder
{
    /// <summary>Decodes <paramref name="files"/> to one shape: <see cref="DataOptions.ImageSize"/> and <see cref="DataOptions.Channels"/> when set, else the one size they share and 3 channels if any file stores colour (else 1).</summary>
    /// <exception cref="DataFormatException">A file is not a usable image (unless <see cref="DataOptions.SkipBad"/>), the images have several sizes and no ImageSize was given, or none is usable.</exception>
    public static DecodedFiles Decode(string folder, IReadOnlyList<string> files, DataOptions options)
    {
        var clock = Stopwatch.StartNew();
        var errors = new DataFormatException?[files.Count];
        var headers = new ImageHeader[files.Count];
        CpuParallel.For(files.Count, i => headers[i] = Guard(files[i], errors, i, () => ImageDecoder.ReadHeader(files[i], options.PixelLimit)));
        ThrowFirstUnlessSkipping(errors, options);

        var readable = Enumerable.Range(0, files.Count).Where(i => errors[i] == null).ToArray();
        if (readable.Length == 0)
            throw new DataFormatException(folder, $"none of its {files.Count} image files is usable (first: {errors.First(e => e != null)!.Message})");
        var shape = TargetShape(folder, readable.Select(i => headers[i]).ToList(), options);

        // Slot k holds file readable[k]; a file that fails here leaves its slot unused.
        if ((long)readable.Length * shape.Pixels > Array.MaxLength)
            throw new DataFormatException(folder, $"{readable.Length:N0} images of {shape} are more bytes than one array can hold; pass a smaller --image-size");
        var pixels = new byte[readable.Length * shape.Pixels];
        CpuParallel.For(readable.Length, k =>
        {
            int i = readable[k];
            var image = Guard(files[i], errors, i, () => ImageDecoder.Decode(files[i], options.PixelLimit));
            if (errors[i] == null)
                ImageFit.Apply(image, shape, pixels.AsSpan(k * shape.Pixels, shape.Pixels));
        });
        ThrowFirstUnlessSkipping(errors, options);

        var kept = readable.Where(i => errors[i] == null).ToArray();
        if (kept.Length == 0)
            throw new DataFormatException(folder, $"none of its {files.Count} image files is usable (first: {errors.First(e => e != null)!.Message})");
        if (kept.Length < readable.Length)
            pixels = Compact(pixels, readable, errors, shape.Pixels, kept.Length);

        var skipped = errors.Where(e => e != null).ToList();
        if (skipped.Count > 0)
            options.Log?.Invoke($"skipped {skipped.Count:N0} files that are not usable images (first: {skipped[0]!.Message})");
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        options.Log?.Invoke($"decoded {kept.Length:N0} images of {shape} from {folder} in {seconds:F1} s: {kept.Length / seconds:N0} images/s on {CpuThreads.Count} threads");
        return new DecodedFiles(shape, pixels, kept);
    }

    // Runs one file's step; an unusable file is recorded, not thrown, so the other threads go on
    // and the error reported is the first in file order, the same on every run.
    private static T Guard<T>(string path, DataFormatException?[] errors, int i, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (DataFormatException e)
        {
            errors[i] = e;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors[i] = new DataFormatException(path, $"cannot be read ({e.Message})", e);
        }
        return default!;
    }

    private static void ThrowFirstUnlessSkipping(DataFormatException?[] errors, DataOptions options)
    {
        if (options.SkipBad) return;
        var first = errors.FirstOrDefault(e => e != null);
        if (first != null) throw first;
    }

    private static ImageShape TargetShape(string folder, List<ImageHeader> headers, DataOptions options)
    {
        int channels = options.Channels ?? (headers.Any(h => h.HasColour) ? 3 : 1);
        if (options.ImageSize is { } size)
            return new ImageShape(channels, size.Height, size.Width);
        var sizes = headers.GroupBy(h => (h.Height, h.Width)).OrderByDescending(g => g.Count()).ToList();
        if (sizes.Count > 1)
        {
            const int Shown = 8;
            string list = string.Join(", ", sizes.Take(Shown).Select(g => $"{g.Key.Height}×{g.Key.Width} ({g.Count():N0})"))
                + (sizes.Count > Shown ? $" and {sizes.Count - Shown} more" : "");
            throw new DataFormatException(folder, $"images of {sizes.Count} sizes: {list}; pass --image-size H[xW] (DataOptions.ImageSize) to bring them to one");
        }
        var (h, w) = sizes[0].Key;
        var shape = new ImageShape(channels, h, w);
        if ((long)shape.Pixels > int.MaxValue / 4)
            throw new DataFormatException(folder, $"images of {shape} are too large to train on; pass --image-size H[xW] (DataOptions.ImageSize)");
        return shape;
    }

    // The images that decoded, copied into an array of the kept size: needed only when a file
    // passed the header pass and then failed to decode, and SkipBad let it go.
    private static byte[] Compact(byte[] pixels, int[] readable, DataFormatException?[] errors, int imageBytes, int keptCount)
    {
        var compact = new byte[(long)keptCount * imageBytes];
        int next = 0;
        for (int k = 0; k < readable.Length; k++)
        {
            if (errors[readable[k]] != null) continue;
            pixels.AsSpan(k * imageBytes, imageBytes).CopyTo(compact.AsSpan(next * imageBytes, imageBytes));
            next++;
        }
        return compact;
    }
}
