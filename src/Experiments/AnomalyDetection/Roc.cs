namespace Scratch.Experiments.AnomalyDetection;

/// <summary>One point of a ROC curve: flag every image whose score is at least Threshold as anomalous.</summary>
public readonly record struct RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>
/// The receiver operating characteristic of an anomaly score, where a higher score means "more
/// anomalous" and the anomalies are the positives. The curve is exact: one point per distinct
/// score, so a tie between a normal and an anomalous image becomes a diagonal step. Its area
/// (trapezoids) is then exactly the Mann–Whitney statistic: the probability that a random anomaly
/// scores above a random normal image, ties counting one half — the AUROC of the literature.
/// </summary>
public static class Roc
{
    /// <summary>The exact ROC curve from (0, 0) to (1, 1), thresholds descending.</summary>
    public static RocPoint[] Curve(ReadOnlySpan<double> normal, ReadOnlySpan<double> anomalous)
    {
        Check(normal, anomalous);
        // Every score with its kind, highest first: lowering the threshold past a score flags it.
        var all = new (double Score, bool Anomalous)[normal.Length + anomalous.Length];
        for (int i = 0; i < normal.Length; i++) all[i] = (normal[i], false);
        for (int i = 0; i < anomalous.Length; i++) all[normal.Length + i] = (anomalous[i], true);
        Array.Sort(all, (a, b) => b.Score.CompareTo(a.Score));

        var points = new List<RocPoint> { new(0, 0, double.PositiveInfinity) };
        int falsePositives = 0, truePositives = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Anomalous) truePositives++;
            else falsePositives++;
            // Tied scores cross the threshold together: one point after the last of them.
            if (i + 1 < all.Length && all[i + 1].Score == all[i].Score) continue;
            points.Add(new RocPoint((double)falsePositives / normal.Length, (double)truePositives / anomalous.Length, all[i].Score));
        }
        return points.ToArray();
    }

    /// <summary>Area under a curve from <see cref="Curve"/>, by trapezoids (exact for its straight segments).</summary>
    public static double Area(IReadOnlyList<RocPoint> curve)
    {
        double area = 0;
        for (int i = 1; i < curve.Count; i++)
            area += (curve[i].FalsePositiveRate - curve[i - 1].FalsePositiveRate) * (curve[i].TruePositiveRate + curve[i - 1].TruePositiveRate) / 2;
        return area;
    }

    /// <summary>AUROC = P(anomaly scores higher) + ½·P(tie), in [0, 1]; 0.5 is chance.</summary>
    public static double Auroc(ReadOnlySpan<double> normal, ReadOnlySpan<double> anomalous) => Area(Curve(normal, anomalous));

    private static void Check(ReadOnlySpan<double> normal, ReadOnlySpan<double> anomalous)
    {
        if (normal.IsEmpty || anomalous.IsEmpty)
            throw new ArgumentException($"ROC: needs at least one normal and one anomalous score, got {normal.Length} normal and {anomalous.Length} anomalous");
        foreach (var s in normal) if (double.IsNaN(s)) throw new ArgumentException("ROC: a normal image's score is NaN");
        foreach (var s in anomalous) if (double.IsNaN(s)) throw new ArgumentException("ROC: an anomalous image's score is NaN");
    }
}
