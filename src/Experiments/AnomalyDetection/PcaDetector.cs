using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;

namespace Scratch.Experiments.AnomalyDetection;

/// <summary>
/// The linear baseline: PCA fitted to the normal class, scoring an image by the error of its
/// reconstruction from the k leading principal components (mean squared error per pixel). With k
/// equal to the autoencoders' code size it is what a linear autoencoder would learn, so it shows
/// what the non-linear models add.
/// </summary>
public sealed class PcaDetector
{
    public int Components { get; }
    private readonly Tensor _mean;        // (1, P), float64
    private readonly Tensor _axes;        // (P, k), float64, orthonormal columns

    private PcaDetector(Tensor mean, Tensor axes, int components)
    {
        _mean = mean;
        _axes = axes;
        Components = components;
    }

    /// <summary>Fits the mean and the k principal axes of the images (N, P) of the normal class.</summary>
    public static PcaDetector Fit(ImageSet normal, int components) =>
        Fit(normal.ToFloats(), normal.Count, normal.PixelsPerImage, components);   // one class's images: a few thousand

    /// <summary>Fits the mean and the k principal axes of <paramref name="count"/> images of <paramref name="pixels"/> values: images (N, P).</summary>
    public static PcaDetector Fit(float[] images, int count, int pixels, int components)
    {
        int p = pixels;
        if (count == 0) throw new ArgumentException("pca: no training images to fit");
        if (images.Length != count * p) throw new ArgumentException($"pca: {images.Length} values are not {count} images of {p}");
        if (components < 1 || components > p) throw new ArgumentException($"pca: {components} components must be in 1..{p}");
        var x = Tensor.FromArray(images, count, p).To(DType.Float64);
        var mean = x.Mean(0, keepDim: true);
        var (_, vectors) = Pca.TopComponents(Pca.Covariance(images, count, p), components);
        var flat = new double[p * components];
        System.Buffer.BlockCopy(vectors, 0, flat, 0, flat.Length * sizeof(double));
        return new PcaDetector(mean, Tensor.FromArray(flat, p, components), components);
    }

    /// <summary>
    /// Mean squared error per pixel of each image's projection onto the principal subspace:
    /// x̂ = μ + V·Vᵀ·(x − μ). images: (N, P) → (N).
    /// </summary>
    public double[] Score(ImageSet images) => Score(images.ToFloats(), images.Count);

    /// <summary><see cref="Score(ImageSet)"/> of <paramref name="count"/> images given as floats: (N, P) → (N).</summary>
    public double[] Score(float[] images, int count)
    {
        int p = _axes.Shape[0];
        if (images.Length != count * p) throw new ArgumentException($"pca: fitted to {p}-pixel images, given {images.Length} values for {count} images");
        var centred = Tensor.FromArray(images, count, p).To(DType.Float64) - _mean;                // (N, P)
        var codes = Tensor.MatMul(centred, _axes);                                                  // (N, k)
        var residual = (centred - Tensor.MatMul(codes, _axes, transB: true)).Contiguous().ToArray<double>();  // (N, P)
        var scores = new double[count];
        for (int n = 0; n < count; n++)
        {
            double sum = 0;
            for (int j = 0; j < p; j++) sum += residual[n * p + j] * residual[n * p + j];
            scores[n] = sum / p;
        }
        return scores;
    }
}
