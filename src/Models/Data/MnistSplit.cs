namespace Scratch.Models.Data;

/// <summary>
/// One split (train or test) of an MNIST-like dataset, ready for training: pixels as floats
/// in [0, 1] and one class label per image.
/// </summary>
public sealed class MnistSplit
{
    // byte → byte/255f, computed once: the exact float a division would give, without 47M divisions.
    private static readonly float[] ByteToUnit = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    /// <summary>N: the number of images (and labels).</summary>
    public int Count { get; }
    /// <summary>Image height in pixels (28 for MNIST).</summary>
    public int Rows { get; }
    /// <summary>Image width in pixels (28 for MNIST).</summary>
    public int Cols { get; }
    /// <summary>Rows·Cols, e.g. 784 for MNIST.</summary>
    public int PixelsPerImage => Rows * Cols;
    /// <summary>Images: (Count, Rows·Cols), row-major, value = byte/255f.</summary>
    public float[] Images { get; }
    /// <summary>Labels: (Count).</summary>
    public byte[] Labels { get; }

    /// <summary>Wraps <paramref name="images"/> (count·rows·cols floats, row-major) and <paramref name="labels"/> (count) without copying.</summary>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">A size is out of range or an array's length does not match it.</exception>
    public MnistSplit(int count, int rows, int cols, float[] images, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (count < 0 || rows <= 0 || cols <= 0)
            throw new ArgumentException($"MnistSplit: count {count}, rows {rows}, cols {cols} must be ≥ 0, > 0, > 0");
        if (images.Length != (long)count * rows * cols)
            throw new ArgumentException($"MnistSplit: images hold {images.Length} values, expected {count}×{rows}×{cols}");
        if (labels.Length != count)
            throw new ArgumentException($"MnistSplit: {labels.Length} labels for {count} images");
        Count = count;
        Rows = rows;
        Cols = cols;
        Images = images;
        Labels = labels;
    }

    /// <summary>Image i as a span of Rows·Cols floats.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..Count − 1.</exception>
    public ReadOnlySpan<float> Image(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"image index must be in 0..{Count - 1}");
        return Images.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>Loads an images file and its labels file, checking that they pair up.</summary>
    /// <exception cref="IdxFormatException">A file is not valid IDX, a label is outside 0..classCount − 1, or the counts differ.</exception>
    public static MnistSplit Load(string imagesPath, string labelsPath, int classCount = 10)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath, classCount);
        int count = images.Dims[0];
        if (labels.Dims[0] != count)
            throw new IdxFormatException(labelsPath, $"holds {labels.Dims[0]} labels but {imagesPath} holds {count} images");
        return new MnistSplit(count, images.Dims[1], images.Dims[2], ToUnit(images.Data), labels.Data);
    }

    /// <summary>
    /// Loads an images file that has no labels (a user's own images, to be scored): every label is
    /// 0, so callers must not read them as classes.
    /// </summary>
    public static MnistSplit LoadUnlabelled(string imagesPath)
    {
        var images = IdxReader.ReadImages(imagesPath);
        int count = images.Dims[0];
        return new MnistSplit(count, images.Dims[1], images.Dims[2], ToUnit(images.Data), new byte[count]);
    }

    // Pixels 0..255 → [0, 1], through the table so every reader maps a byte to the same float.
    private static float[] ToUnit(byte[] bytes)
    {
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            pixels[i] = ByteToUnit[bytes[i]];
        return pixels;
    }
}
