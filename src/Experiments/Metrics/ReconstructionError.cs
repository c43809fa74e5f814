namespace Scratch.Experiments.Metrics;

/// <summary>
/// RE, the reconstruction error: mean squared error per pixel, mean((x − x̂)²). Over a batch it
/// is the mean over every pixel of every image, which equals the mean of the per-image REs
/// because all images have the same size.
/// </summary>
public static class ReconstructionError
{
    /// <summary>mean((original − reconstruction)²), accumulated in double.</summary>
    public static double Mse(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstruction)
    {
        MetricChecks.SameLength(original, reconstruction, "ReconstructionError.Mse");
        if (original.IsEmpty)
            throw new ArgumentException("ReconstructionError.Mse: images are empty; the mean of nothing is undefined");
        double sum = 0;
        for (int i = 0; i < original.Length; i++)
        {
            double d = (double)original[i] - reconstruction[i];
            sum += d * d;
        }
        return sum / original.Length;
    }

    /// <summary>The RE of each image in a batch: (count, pixelsPerImage) → (count).</summary>
    public static double[] PerImage(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstruction, int count)
    {
        int pixels = MetricChecks.PixelsPerImage(original, reconstruction, count, "ReconstructionError.PerImage");
        var result = new double[count];
        for (int n = 0; n < count; n++)
            result[n] = Mse(original.Slice(n * pixels, pixels), reconstruction.Slice(n * pixels, pixels));
        return result;
    }
}
