using Scratch.Models.Data;

namespace Scratch.Models.Training;

/// <summary>Copies the images of a batch of indices into one tensor on the training device.</summary>
public static class Batches
{
    /// <summary>
    /// The images at <paramref name="indices"/> as one batch: split images (N, P) → (B, P), B = indices.Length,
    /// P = Rows·Cols, values in [0, 1], converted to <paramref name="dtype"/> on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..split.Count − 1.</exception>
    // Copied straight into a (pooled) tensor: no array per step.
    public static Tensor Gather(MnistSplit split, ReadOnlySpan<int> indices, DType dtype, Device device)
    {
        int pixels = split.PixelsPerImage;
        var batch = Tensor.Zeros([indices.Length, pixels]);
        var values = batch.AsSpan<float>();
        for (int b = 0; b < indices.Length; b++)
            split.Image(indices[b]).CopyTo(values.Slice(b * pixels, pixels));
        return batch.To(dtype).To(device);
    }

    /// <summary>The first <paramref name="limit"/> images (all when 0 or more than there are).</summary>
    public static MnistSplit Take(MnistSplit split, int limit)
    {
        if (limit <= 0 || limit >= split.Count) return split;
        return new MnistSplit(limit, split.Rows, split.Cols, split.Images[..(limit * split.PixelsPerImage)], split.Labels[..limit]);
    }
}
