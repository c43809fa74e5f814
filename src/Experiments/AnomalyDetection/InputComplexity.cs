using Scratch.Experiments.Imaging;
using Scratch.Models.Data;

namespace Scratch.Experiments.AnomalyDetection;

/// <summary>
/// How complex each image is, measured as Serrà et al. do ("Input complexity and out-of-distribution
/// detection with likelihood-based generative models", ICLR 2020): L(x), the length in bits of the
/// image compressed by a general-purpose lossless compressor — here PNG (DEFLATE). A likelihood
/// model's −log p(x) grows with L(x) whatever the model learnt, which is why a VAE's −ELBO calls
/// simple images (a sandal's few strokes) "likely" even when they are of another class. Scored as a
/// detector of its own (no training: the same score for every normal class), it shows how much of a
/// likelihood's ranking complexity alone explains.
/// </summary>
public static class InputComplexity
{
    /// <summary>L(x) of each image in bits: 8 × the size of its PNG (the header's constant bytes included; an AUROC ignores a constant). images → (N).</summary>
    public static double[] Bits(ImageSet images)
    {
        var bits = new double[images.Count];
        var shape = images.Shape;
        var planes = new float[images.PixelsPerImage];
        for (int i = 0; i < images.Count; i++)
        {
            images.CopyImage(i, planes);
            bits[i] = 8.0 * PngEncoder.Encode(Image8.FromPlanes(planes, shape.Channels, shape.Width, shape.Height)).Length;
        }
        return bits;
    }
}
