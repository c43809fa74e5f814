namespace Scratch.Experiments.AnomalyDetection;

/// <summary>
/// Percentiles of a set of scores, interpolated linearly between order statistics (NumPy's
/// default, "linear"): the p-th percentile of n sorted values is at position (n − 1)·p/100.
/// A threshold at the 95th percentile of the training scores flags about 5 % of normal data.
/// </summary>
public static class Percentile
{
    public static double Of(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0) throw new ArgumentException("percentile: no values");
        if (!(percent >= 0 && percent <= 100)) throw new ArgumentException($"percentile: {percent} must be in 0..100");
        var sorted = values.ToArray();
        if (sorted.Any(double.IsNaN)) throw new ArgumentException("percentile: a value is NaN");
        Array.Sort(sorted);
        double position = (sorted.Length - 1) * percent / 100;
        int below = (int)Math.Floor(position);
        if (below >= sorted.Length - 1) return sorted[^1];
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
    }
}
