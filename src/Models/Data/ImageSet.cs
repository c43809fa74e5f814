namespace Scratch.Models.Data;

/// <summary>
/// A set of images of one shape, kept as the bytes they were stored in (N, C, H, W, one byte a
/// value) and turned into floats in [0, 1] only a batch at a time, with an optional class label
/// per image. Full Fashion-MNIST's 60,000 training images are 47 MB as bytes; as floats they
/// would be 188 MB, and a 64×64 RGB folder of 100,000 photos 4.9 GB.
/// </summary>
public sealed class ImageSet
{
    // byte → byte/255f, computed once: the exact float a division would give, for every reader alike.
    private static readonly float[] ByteToUnit = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    /// <summary>N: the number of images.</summary>
    public int Count { get; }
    /// <summary>The shape every image has.</summary>
    public ImageShape Shape { get; }
    /// <summary>C·H·W: the values one image holds (784 for MNIST).</summary>
    public int PixelsPerImage => Shape.Pixels;
    /// <summary>Image height in pixels (28 for MNIST).</summary>
    public int Rows => Shape.Height;
    /// <summary>Image width in pixels (28 for MNIST).</summary>
    public int Cols => Shape.Width;
    /// <summary>The images: (N, C, H, W) bytes, 0 = black, 255 = full intensity.</summary>
    public byte[] Pixels { get; }
    /// <summary>Whether <see cref="Labels"/> are classes. An unlabelled set (a user's images to score) has every label 0.</summary>
    public bool IsLabelled { get; }
    /// <summary>Labels: (N), each in 0..ClassNames.Count − 1 when labelled.</summary>
    public int[] Labels { get; }
    /// <summary>The name of each class by label ("0".."9" for MNIST, the folder names of an image folder); empty when unlabelled.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Wraps <paramref name="pixels"/> (count·C·H·W bytes) and the labels without copying.</summary>
    /// <param name="shape">The shape of each image.</param>
    /// <param name="pixels">count·C·H·W bytes, (N, C, H, W).</param>
    /// <param name="labels">One label per image in 0..classNames.Count − 1, or null for an unlabelled set.</param>
    /// <param name="classNames">The classes' names; null means "0", "1", … up to the largest label.</param>
    /// <exception cref="ArgumentException">A size does not match, or a label is outside the classes.</exception>
    public ImageSet(ImageShape shape, byte[] pixels, int[]? labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        shape.Checked("ImageSet");
        if (pixels.Length % shape.Pixels != 0)
            throw new ArgumentException($"ImageSet: {pixels.Length} bytes is not a whole number of {shape} images ({shape.Pixels} bytes each)");
        Count = pixels.Length / shape.Pixels;
        Shape = shape;
        Pixels = pixels;
        IsLabelled = labels != null;
        Labels = labels ?? new int[Count];
        if (Labels.Length != Count)
            throw new ArgumentException($"ImageSet: {Labels.Length} labels for {Count} images");
        ClassNames = !IsLabelled ? [] : classNames ?? Enumerable.Range(0, Count == 0 ? 0 : Labels.Max() + 1).Select(c => c.ToString()).ToArray();
        for (int i = 0; i < Labels.Length && IsLabelled; i++)
        {
            if ((uint)Labels[i] >= (uint)ClassNames.Count)
                throw new ArgumentException($"ImageSet: label {i} is {Labels[i]}, outside 0..{ClassNames.Count - 1}");
        }
    }

    /// <summary>Image <paramref name="index"/>'s C·H·W bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..Count − 1.</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"image index must be in 0..{Count - 1}");
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>Writes image <paramref name="index"/> as C·H·W floats in [0, 1] (byte / 255) into <paramref name="destination"/>.</summary>
    public void CopyImage(int index, Span<float> destination)
    {
        var bytes = Image(index);
        if (destination.Length < bytes.Length)
            throw new ArgumentException($"ImageSet.CopyImage: destination holds {destination.Length} floats, an image {bytes.Length}");
        var table = ByteToUnit.AsSpan();
        for (int i = 0; i < bytes.Length; i++)
            destination[i] = table[bytes[i]];
    }

    /// <summary>Images start..start+count−1 as floats in [0, 1]: (count, C·H·W). A float copy of that range only.</summary>
    public float[] ToFloats(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"ImageSet.ToFloats: images {start}..{start + count - 1} of {Count}");
        var floats = new float[count * PixelsPerImage];
        for (int i = 0; i < count; i++)
            CopyImage(start + i, floats.AsSpan(i * PixelsPerImage, PixelsPerImage));
        return floats;
    }

    /// <summary>Every image as floats: (N, C·H·W). For evaluation sets; training reads batches instead.</summary>
    public float[] ToFloats() => ToFloats(0, Count);

    /// <summary>The images at <paramref name="indices"/>, in that order, with their labels: a copy of their bytes.</summary>
    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int p = PixelsPerImage;
        var pixels = new byte[indices.Count * p];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * p, p));
            labels[i] = Labels[indices[i]];
        }
        return new ImageSet(Shape, pixels, IsLabelled ? labels : null, IsLabelled ? ClassNames : null);
    }

    /// <summary>The first <paramref name="limit"/> images (this set itself when 0 or more than there are).</summary>
    public ImageSet Take(int limit) =>
        limit <= 0 || limit >= Count ? this : Subset(Enumerable.Range(0, limit).ToArray());

    /// <summary>The mean image as C·H·W values in [0, 1], summed in double image by image (the order a float copy would be summed in).</summary>
    public double[] MeanImage()
    {
        int p = PixelsPerImage;
        var sums = new double[p];
        var table = ByteToUnit;
        for (int i = 0; i < Count; i++)
        {
            var image = Pixels.AsSpan(i * p, p);
            for (int j = 0; j < p; j++) sums[j] += table[image[j]];
        }
        for (int j = 0; j < p && Count > 0; j++) sums[j] /= Count;
        return sums;
    }
}
