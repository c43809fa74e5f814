namespace Scratch.Experiments.Metrics;

// Shape checks shared by the metrics, so every one reports a mismatch the same way.
internal static class MetricChecks
{
    public static void SameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string op)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"{op}: the images have {a.Length} and {b.Length} values");
    }

    // a, b: (count, pixels) → pixels
    public static int PixelsPerImage(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int count, string op)
    {
        SameLength(a, b, op);
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{op}: the batch must hold at least one image");
        if (a.Length % count != 0 || a.Length == 0)
            throw new ArgumentException($"{op}: {a.Length} values do not split into {count} non-empty images");
        return a.Length / count;
    }
}
