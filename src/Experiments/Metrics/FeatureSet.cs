namespace Scratch.Experiments.Metrics;

/// <summary>
/// A set of feature vectors, (Count, Dim) row-major in double: what a feature network gives for a
/// set of images, and what FID, precision and recall compare. Double because FID subtracts traces
/// of large nearly equal matrices; float32 features are widened once here.
/// </summary>
public sealed class FeatureSet
{
    private readonly double[] _values;

    public int Count { get; }
    public int Dim { get; }

    public FeatureSet(double[] values, int count, int dim)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (count <= 0 || dim <= 0)
            throw new ArgumentException($"FeatureSet: count ({count}) and dim ({dim}) must be positive");
        if (values.Length != (long)count * dim)
            throw new ArgumentException($"FeatureSet: {values.Length} values are not {count} vectors of {dim}");
        foreach (var v in values)
            if (!double.IsFinite(v))
                throw new ArgumentException($"FeatureSet: the features hold a non-finite value ({v})");
        _values = values;
        Count = count;
        Dim = dim;
    }

    /// <summary>features: (count, dim) float32 → a double copy.</summary>
    public static FeatureSet FromFloats(ReadOnlySpan<float> features, int count)
    {
        if (count <= 0 || features.Length % count != 0 || features.IsEmpty)
            throw new ArgumentException($"FeatureSet: {features.Length} values do not split into {count} non-empty vectors");
        var values = new double[features.Length];
        for (int i = 0; i < values.Length; i++) values[i] = features[i];
        return new FeatureSet(values, count, features.Length / count);
    }

    /// <summary>One vector per row: rows[i] is feature vector i.</summary>
    public static FeatureSet FromRows(double[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0) throw new ArgumentException("FeatureSet: no rows");
        int dim = rows[0].Length;
        var values = new double[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != dim)
                throw new ArgumentException($"FeatureSet: row {i} has {rows[i].Length} values, row 0 has {dim}");
            rows[i].CopyTo(values, i * dim);
        }
        return new FeatureSet(values, rows.Length, dim);
    }

    public ReadOnlySpan<double> Row(int i) => _values.AsSpan(i * Dim, Dim);

    /// <summary>Throws unless both sets live in the same feature space.</summary>
    internal static void CheckSameDim(FeatureSet a, FeatureSet b, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dim != b.Dim)
            throw new ArgumentException($"{op}: the feature sets have dimensions {a.Dim} and {b.Dim}");
    }
}
