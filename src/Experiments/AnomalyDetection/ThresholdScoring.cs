using Scratch.Models.Autoencoders;
using Scratch.Models.Data;

namespace Scratch.Experiments.AnomalyDetection;

/// <summary>How an image is scored: its reconstruction error, or a VAE's −ELBO (−IWAE bound for K &gt; 1 samples).</summary>
public sealed record ScoreMeasure(bool Elbo, int Samples = 1, ulong Seed = 1)
{
    /// <summary>The scores of <paramref name="images"/>, one per image, in order.</summary>
    public double[] Score(Autoencoder model, ImageSet images, Device device) => Elbo
        ? AnomalyScores.NegativeElbo(model as VariationalAutoencoder
            ?? throw new ArgumentException($"anomaly scores: the ELBO needs a VAE, not a {model.Kind}"), images, Samples, Seed, device)
        : AnomalyScores.ReconstructionError(model, images, device);
}

/// <summary>What <see cref="ThresholdScoring.Run"/> found: the threshold, every score, how many were flagged, and the AUROC when labels allow one.</summary>
public sealed record ThresholdResult(double Threshold, int ReferenceCount, double[] Scores, int Flagged, double? Auroc);

/// <summary>
/// The unsupervised use of a trained model: the scores of reference images (what the model was
/// meant to learn) set a threshold at a stated percentile; every scored image above it is flagged.
/// When the scored images carry labels of both kinds, the AUROC says how well the score separates them.
/// </summary>
public static class ThresholdScoring
{
    /// <param name="model">A trained autoencoder, on <paramref name="device"/>.</param>
    /// <param name="reference">Images that set the threshold.</param>
    /// <param name="scored">Images to score and flag.</param>
    /// <param name="isNormal">Per scored image, whether it is of the normal classes; null without labels.</param>
    /// <param name="percentile">The threshold's percentile of the reference scores (0..100).</param>
    public static ThresholdResult Run(Autoencoder model, ScoreMeasure measure, ImageSet reference, ImageSet scored, bool[]? isNormal,
        double percentile, Device device)
    {
        if (reference.Count == 0) throw new ArgumentException("anomaly scores: no reference images to set the threshold");
        double threshold = Percentile.Of(Finite(measure.Score(model, reference, device), model, "reference"), percentile);
        var scores = Finite(measure.Score(model, scored, device), model, "scored");
        int flagged = scores.Count(s => s > threshold);
        double? auroc = isNormal is not null && isNormal.Contains(true) && isNormal.Contains(false)
            ? Roc.Auroc(scores.Where((_, i) => isNormal[i]).ToArray(), scores.Where((_, i) => !isNormal[i]).ToArray())
            : null;
        return new ThresholdResult(threshold, reference.Count, scores, flagged, auroc);
    }

    // A model whose outputs are not finite has diverged or was damaged: no threshold or score is made of NaN.
    private static double[] Finite(double[] scores, Autoencoder model, string which)
    {
        int bad = Array.FindIndex(scores, v => !double.IsFinite(v));
        return bad < 0 ? scores
            : throw new ArgumentException($"anomaly scores: the {model.Kind} model scores {which} image {bad} as {scores[bad]}; its outputs are not finite, so nothing is scored");
    }
}
