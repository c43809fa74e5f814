using Scratch.Models.Data;

namespace Scratch.Models.Training;

/// <summary>Copies the images of a batch of indices into one tensor on the training device.</summary>
public static class Batches
{
    /// <summary>A batch already in floats, (count, pixels) from a <see cref="BatchPrefetcher"/>, copied into a (pooled) tensor on <paramref name="device"/>.</summary>
    public static Tensor Gather(float[] batch, int count, int pixels, DType dtype, Device device)
    {
        var tensor = Tensor.Zeros([count, pixels]);
        batch.AsSpan(0, count * pixels).CopyTo(tensor.AsSpan<float>());
        return tensor.To(dtype).To(device);
    }

    /// <summary>
    /// The images at <paramref name="indices"/> as one batch: split images (N, P) → (B, P), B = indices.Length,
    /// P = C·H·W, bytes turned into values in [0, 1], converted to <paramref name="dtype"/> on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..split.Count − 1.</exception>
    // Copied straight into a (pooled) tensor: no array per step.
    public static Tensor Gather(ImageSet split, ReadOnlySpan<int> indices, DType dtype, Device device)
    {
        int pixels = split.PixelsPerImage;
        var batch = Tensor.Zeros([indices.Length, pixels]);
        var values = batch.AsSpan<float>();
        for (int b = 0; b < indices.Length; b++)
            split.CopyImage(indices[b], values.Slice(b * pixels, pixels));
        return batch.To(dtype).To(device);
    }
}
