namespace Scratch.Experiments.Imaging;

/// <summary>
/// Lays out many small images (e.g. MNIST digits and their reconstructions) in one picture, with
/// padding between them, for saving as PNG. Values are in [0, 1]; an image of C channels is C planes
/// (C, H, W), as the engine keeps them, and the picture has C channels (1 grey, 3 RGB).
/// </summary>
public static class ImageGrid
{
    /// <summary>
    /// One grid row per entry of <paramref name="rows"/>, each a batch of images laid side by
    /// side: rows[r] is (k_r, channels, imageHeight, imageWidth). Typical use: originals, corrupted
    /// inputs and reconstructions as three aligned rows. Shorter rows leave padding on the right.
    /// </summary>
    public static Image8 Compose(IReadOnlyList<float[]> rows, int imageHeight, int imageWidth, int padding = 2, float padValue = 0.5f, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CheckSizes(imageHeight, imageWidth, padding, channels);
        if (rows.Count == 0)
            throw new ArgumentException("ImageGrid.Compose: no rows to draw");
        int pixels = channels * imageHeight * imageWidth;
        int columns = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r] is null || rows[r].Length % pixels != 0)
                throw new ArgumentException($"ImageGrid.Compose: row {r} holds {rows[r]?.Length ?? 0} values, not a whole number of {imageHeight}×{imageWidth} images");
            columns = Math.Max(columns, rows[r].Length / pixels);
        }
        if (columns == 0)
            throw new ArgumentException("ImageGrid.Compose: every row is empty");

        var canvas = Canvas(rows.Count, columns, imageHeight, imageWidth, padding, padValue, channels);
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows[r].Length / pixels; c++)
                Blit(canvas, rows[r].AsSpan(c * pixels, pixels), r, c, imageHeight, imageWidth, padding, channels);
        }
        return canvas;
    }

    /// <summary>
    /// A batch (count, channels, imageHeight, imageWidth) wrapped into rows of <paramref name="columns"/> images.
    /// </summary>
    public static Image8 Tile(ReadOnlySpan<float> images, int count, int imageHeight, int imageWidth, int columns, int padding = 2, float padValue = 0.5f, int channels = 1)
    {
        CheckSizes(imageHeight, imageWidth, padding, channels);
        if (count <= 0 || columns <= 0)
            throw new ArgumentException($"ImageGrid.Tile: count {count} and columns {columns} must be positive");
        int pixels = channels * imageHeight * imageWidth;
        if (images.Length != (long)count * pixels)
            throw new ArgumentException($"ImageGrid.Tile: {images.Length} values for {count} images of {imageHeight}×{imageWidth}");

        int gridRows = (count + columns - 1) / columns;
        var canvas = Canvas(gridRows, Math.Min(columns, count), imageHeight, imageWidth, padding, padValue, channels);
        for (int n = 0; n < count; n++)
            Blit(canvas, images.Slice(n * pixels, pixels), n / columns, n % columns, imageHeight, imageWidth, padding, channels);
        return canvas;
    }

    // A canvas of gridRows × gridCols cells, with `padding` pixels around and between them.
    private static Image8 Canvas(int gridRows, int gridCols, int h, int w, int padding, float padValue, int channels)
    {
        long width = (long)gridCols * (w + padding) + padding;
        long height = (long)gridRows * (h + padding) + padding;
        if (width * height * channels > Array.MaxLength || width > int.MaxValue || height > int.MaxValue)
            throw new ArgumentException($"ImageGrid: a {width}×{height} picture is too large");
        var pixels = new byte[width * height * channels];
        Array.Fill(pixels, Image8.ToByte(padValue));
        return new Image8((int)width, (int)height, channels, pixels);
    }

    // image: (C, h, w) planes → the cell at (gridRow, gridCol) of the interleaved (H, W, C) canvas
    private static void Blit(Image8 canvas, ReadOnlySpan<float> image, int gridRow, int gridCol, int h, int w, int padding, int channels)
    {
        int top = padding + gridRow * (h + padding);
        int left = padding + gridCol * (w + padding);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
            {
                int dst = ((top + y) * canvas.Width + left) * channels + c;
                for (int x = 0; x < w; x++)
                {
                    float v = image[(c * h + y) * w + x];
                    if (!float.IsFinite(v))
                        throw new ArgumentException($"picture: pixel ({y}, {x}) of image ({gridRow}, {gridCol}) is {v}; a model whose outputs are not finite is not drawn");
                    canvas.Pixels[dst + x * channels] = Image8.ToByte(v);
                }
            }
    }

    private static void CheckSizes(int imageHeight, int imageWidth, int padding, int channels)
    {
        if (imageHeight <= 0 || imageWidth <= 0 || padding < 0)
            throw new ArgumentException($"ImageGrid: image size {imageHeight}×{imageWidth} must be positive and padding {padding} ≥ 0");
        if (channels is not (1 or 3))
            throw new ArgumentException($"ImageGrid: {channels} channels; pictures are grey (1) or RGB (3)");
    }
}
