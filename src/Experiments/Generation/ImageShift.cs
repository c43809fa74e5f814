using Scratch.Models.Data;

namespace Scratch.Experiments.Generation;

/// <summary>
/// Data augmentation for the feature network: each training image moved by a random whole-pixel
/// shift of up to ±s rows and columns (zeros flow in), every channel alike. With 8,000 training
/// digits a LeNet overfits (97.2% test accuracy, training loss 0.016 after 12 epochs); shifted
/// copies are digits a reader would still read the same, and lift it past 98%.
/// </summary>
public static class ImageShift
{
    // images: (N, C·H·W) → batch (B, C·H·W), each image shifted by its own (dy, dx) ∈ [−s, s]².
    public static Tensor Batch(ImageSet split, ReadOnlySpan<int> indices, int maxShift, Rng rng)
    {
        int rows = split.Rows, cols = split.Cols, plane = rows * cols, pixels = split.PixelsPerImage;
        var batch = new float[indices.Length * pixels];
        var image = new float[pixels];
        for (int b = 0; b < indices.Length; b++)
        {
            int dy = maxShift == 0 ? 0 : rng.NextInt(2 * maxShift + 1) - maxShift;
            int dx = maxShift == 0 ? 0 : rng.NextInt(2 * maxShift + 1) - maxShift;
            split.CopyImage(indices[b], image);
            for (int c = 0; c < split.Shape.Channels; c++)
                Shift(image.AsSpan(c * plane, plane), batch.AsSpan(b * pixels + c * plane, plane), rows, cols, dy, dx);
        }
        return Tensor.FromArray(batch, indices.Length, pixels);
    }

    /// <summary>destination[i, j] = source[i − dy, j − dx], 0 where that falls outside.</summary>
    public static void Shift(ReadOnlySpan<float> source, Span<float> destination, int rows, int cols, int dy, int dx)
    {
        destination.Clear();
        for (int i = Math.Max(0, dy); i < Math.Min(rows, rows + dy); i++)
        {
            int from = Math.Max(0, -dx), to = Math.Min(cols, cols - dx);   // source columns that land inside
            source.Slice((i - dy) * cols + from, to - from).CopyTo(destination.Slice(i * cols + from + dx, to - from));
        }
    }
}
