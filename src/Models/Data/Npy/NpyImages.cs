using System.Diagnostics;
using Scratch.Kernels;

namespace Scratch.Models.Data;

/// <summary>
/// Images from one .npy file, as numpy users keep them: N×H×W (grey), N×H×W×C (channels last,
/// numpy's and PIL's order) or N×C×H×W (PyTorch's), C = 1 or 3, uint8 or float32 in [0, 1].
/// </summary>
/// <remarks>
/// A 4-D shape is read as channels last when its last axis is 1 or 3, else as channels first when
/// its second axis is; so the ambiguous N×3×H×3 (or N×1×H×1) is channels last, numpy's default.
/// A .npy holds no labels and no test split: the images are unlabelled, and a seeded share
/// (<see cref="DataOptions.TestFraction"/>) is held out as the test split.
/// </remarks>
public static class NpyImages
{
    /// <summary>
    /// Loads the images of the .npy file at <paramref name="path"/>, brought to
    /// <see cref="DataOptions.ImageSize"/> and <see cref="DataOptions.Channels"/> when set, and splits them.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The file is not a .npy of uint8 or float32 images, a float is outside [0, 1], or there are fewer than 2 images.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ImageDataset Load(string path, DataOptions options)
    {
        var clock = Stopwatch.StartNew();
        var (all, stored, channelsLast, dtype) = Read(path, options);
        int count = all.Count;
        var target = all.Shape;
        var (train, test) = Holdout.Split(new int[count], options.TestFraction, options.Seed, path);
        options.Log?.Invoke($"{path}: {count:N0} images of {stored} ({(dtype == NpyDType.UInt8 ? "uint8" : "float32")}, {(channelsLast ? "channels last" : "channels first")})"
            + (target != stored ? $" as {target}" : "") + $"; {test.Length:N0} held out as the test split (seed {options.Seed}); {clock.Elapsed.TotalSeconds:F1} s");
        return new ImageDataset(path, "npy", all.Subset(train), all.Subset(test), TestIsHoldout: true, Fingerprint(path, options));
    }

    /// <summary>Every image of the .npy file, in its order and with no split: for scoring, encoding or reconstructing.</summary>
    /// <exception cref="DataFormatException">As <see cref="Load"/>, but one image is fine.</exception>
    public static LoadedImages LoadAll(string path, DataOptions options) => new(path, Read(path, options).All, Names: null);

    // The file's images brought to the options' shape: (N, C, H, W) bytes.
    private static (ImageSet All, ImageShape Stored, bool ChannelsLast, NpyDType DType) Read(string path, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        DataOptionsCheck.Check(options);
        var array = NpyFile.Read(path);
        var (stored, channelsLast) = Layout(path, array.Shape);
        int count = array.Shape[0];
        var bytes = array.UInt8 ?? ToBytes(path, array.Float32!, array.Shape);

        var target = new ImageShape(options.Channels ?? stored.Channels,
            options.ImageSize?.Height ?? stored.Height, options.ImageSize?.Width ?? stored.Width);
        var pixels = bytes;
        if (channelsLast || target != stored)
        {
            if ((long)count * target.Pixels > Array.MaxLength)
                throw new DataFormatException(path, $"{count:N0} images of {target} are more bytes than one array can hold");
            // (N, C, H, W) bytes of the target shape, one image per work item.
            pixels = new byte[(long)count * target.Pixels];
            CpuParallel.For(count, i =>
            {
                var image = Image(bytes, i, stored, channelsLast);
                ImageFit.Apply(image, target, pixels.AsSpan(i * target.Pixels, target.Pixels));
            });
        }

        return (new ImageSet(target, pixels, labels: null), stored, channelsLast, array.DType);
    }

    // The shape of one stored image, and whether its channels are the last axis.
    private static (ImageShape Image, bool ChannelsLast) Layout(string path, int[] shape)
    {
        string shown = "(" + string.Join(", ", shape) + ")";
        (ImageShape, bool) layout = shape switch
        {
            [_, var h, var w] => (new ImageShape(1, h, w), false),
            [_, var h, var w, 1 or 3] => (new ImageShape(shape[3], h, w), true),
            [_, 1 or 3, var h, var w] => (new ImageShape(shape[1], h, w), false),
            _ => throw new DataFormatException(path,
                $"header field 'shape' {shown} is not a stack of images: expected N×H×W (grey), N×H×W×C or N×C×H×W with C = 1 or 3"),
        };
        var (image, _) = layout;
        if (image.Height == 0 || image.Width == 0)
            throw new DataFormatException(path, $"header field 'shape' {shown} holds images of {image.Height}×{image.Width} pixels; both sides must be positive");
        return layout;
    }

    // float32 in [0, 1] → round(v·255), half to even as numpy's round; a byte b saved as b/255
    // comes back as b. Any other value is a mistake upstream (0..255 floats, a
    // normalised tensor, a NaN), so it is refused naming where it sits.
    private static byte[] ToBytes(string path, float[] values, int[] shape)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0f && v <= 1f))
            {
                throw new DataFormatException(path,
                    $"value at [{string.Join(", ", Unravel(i, shape))}] is {v:R}; float32 images must hold values in [0, 1] (save uint8 0..255 instead, or divide by 255)");
            }
            bytes[i] = (byte)MathF.Round(v * 255f);
        }
        return bytes;
    }

    // Flat C-order index → one index per axis.
    private static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }

    // Image i as (C, H, W), transposed from (H, W, C) when the file stores channels last.
    private static PixelImage Image(byte[] data, int i, ImageShape shape, bool channelsLast)
    {
        var (c, h, w) = shape;
        var stored = data.AsSpan(i * shape.Pixels, shape.Pixels);
        var planes = new byte[shape.Pixels];
        if (!channelsLast)
        {
            stored.CopyTo(planes);
            return new PixelImage(shape, planes);
        }
        for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < h * w; p++)
                planes[ch * h * w + p] = stored[p * c + ch];
        return new PixelImage(shape, planes);
    }

    private static string Fingerprint(string path, DataOptions options)
    {
        string full = Path.GetFullPath(path);
        return new Fingerprint("npy images v1").AddFile(full, new FileInfo(full)).AddOptions(options).Finish();
    }
}
