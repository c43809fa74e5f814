using Scratch.Models.Data;

namespace Scratch.Benchmarks.Torch;

/// <summary>The bundled MNIST sample (data/mnist-sample: 7,996 train, 2,004 test), loaded once per process.</summary>
public static class Sample
{
    private static readonly Lazy<MnistDataset> Data = new(() => MnistDataset.Load(MnistDataset.DefaultDirectory()));

    public static MnistDataset Mnist => Data.Value;

    /// <summary>The images of <paramref name="indices"/> from a split, row after row. → (B·784) floats.</summary>
    public static float[] Gather(MnistSplit split, ReadOnlySpan<int> indices)
    {
        int pixels = split.PixelsPerImage;
        var buffer = new float[indices.Length * pixels];
        for (int b = 0; b < indices.Length; b++)
            split.Image(indices[b]).CopyTo(buffer.AsSpan(b * pixels, pixels));
        return buffer;
    }
}
