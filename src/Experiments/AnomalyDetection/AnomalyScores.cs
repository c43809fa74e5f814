using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;
using Scratch.Models.Training;

namespace Scratch.Experiments.AnomalyDetection;

/// <summary>
/// Per-image anomaly scores of a trained autoencoder (higher = less like what it was trained on).
/// Every variant has its reconstruction error; the VAE also has its negative ELBO, an upper bound
/// on −log p(x), and its importance-weighted tightening with K samples (Burda et al., 2016).
/// </summary>
public static class AnomalyScores
{
    private const int BatchSize = 500;

    /// <summary>RE of each image: mean squared error per pixel of its reconstruction. images: (N, P) → (N).</summary>
    public static double[] ReconstructionError(Autoencoder model, ImageSet images, Device? device = null)
    {
        var reconstructed = Reconstruction.Reconstruct(model, images, device);
        return Metrics.ReconstructionError.PerImage(images.ToFloats(), reconstructed, images.Count);
    }

    /// <summary>
    /// The VAE's −ELBO per image, or with <paramref name="samples"/> K &gt; 1 the importance-weighted
    /// bound −log (1/K Σₖ wₖ), wₖ = p(x|zₖ)·p(zₖ) / q(zₖ|x), zₖ ~ q(z|x) — tighter as K grows.
    /// K = 1 uses the closed-form KL: ℓ(x, z) + KL(q(z|x) ‖ N(0, I)) with one z ~ q(z|x).
    /// −log p(x|z) is the model's own reconstruction loss ℓ summed over pixels (BCE on logits for a
    /// bce model; for an mse model the squared error, i.e. a Gaussian up to a constant). Seeded: the
    /// same seed gives the same scores.
    /// </summary>
    public static double[] NegativeElbo(VariationalAutoencoder vae, ImageSet images, int samples = 1, ulong seed = 1, Device? device = null)
    {
        if (samples < 1) throw new ArgumentException($"vae score: {samples} samples, need at least 1");
        var dev = device ?? Device.Cpu;
        int pixels = images.PixelsPerImage, latent = vae.Config.LatentSize;
        var rng = new Rng(seed);
        var scores = new double[images.Count];
        vae.Eval();
        for (int start = 0; start < images.Count; start += BatchSize)
        {
            int b = Math.Min(BatchSize, images.Count - start);
            float[] mu, logVar;
            using (TensorPool.IsActive ? null : TensorPool.Scope())
            using (NoGrad.Scope())
            {
                var x = Batches.Gather(images, Enumerable.Range(start, b).ToArray(), vae.Config.DType, dev);
                var posterior = vae.Posterior(x);
                mu = ToHost(posterior.Mu.Data);          // (b, L)
                logVar = ToHost(posterior.LogVar.Data);  // (b, L)
            }
            // logWeights[k, n] = log wₖ of image n
            var targets = images.ToFloats(start, b);   // (b, P)
            var logWeights = new double[samples, b];
            for (int k = 0; k < samples; k++)
            {
                var epsilon = new float[b * latent];
                rng.FillNormal<float>(epsilon);   // the bulk (counter-based) sampler, as the VAE's training draws
                var z = new float[b * latent];
                for (int i = 0; i < z.Length; i++) z[i] = mu[i] + MathF.Exp(0.5f * logVar[i]) * epsilon[i];
                var logits = Decode(vae, z, b, dev);   // (b, P)
                for (int n = 0; n < b; n++)
                {
                    double loss = PerImageLoss(logits.AsSpan(n * pixels, pixels), targets.AsSpan(n * pixels, pixels), vae.Config.Loss);
                    var mun = mu.AsSpan(n * latent, latent);
                    var lv = logVar.AsSpan(n * latent, latent);
                    logWeights[k, n] = samples == 1
                        ? -(loss + KlStandardNormal(mun, lv))
                        : -loss + LogPriorOverPosterior(z.AsSpan(n * latent, latent), epsilon.AsSpan(n * latent, latent), lv);
                }
            }
            for (int n = 0; n < b; n++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < samples; k++) max = Math.Max(max, logWeights[k, n]);
                double sum = 0;
                for (int k = 0; k < samples; k++) sum += Math.Exp(logWeights[k, n] - max);
                // −log (1/K Σ exp(log wₖ)), by log-sum-exp so large losses do not underflow.
                scores[start + n] = -(max + Math.Log(sum / samples));
            }
        }
        vae.Train();
        return scores;
    }

    /// <summary>
    /// The reconstruction loss of one image, summed over pixels, as the model is trained: BCE on
    /// the logits (the stable form max(l, 0) − l·x + log(1 + e^−|l|)), squared error of sigmoid(l),
    /// or squared error of l itself for a linear decoder.
    /// </summary>
    public static double PerImageLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, ReconstructionLoss kind)
    {
        if (logits.Length != target.Length)
            throw new ArgumentException($"per-image loss: {logits.Length} logits for {target.Length} pixels");
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double l = logits[i], x = target[i];
            sum += kind switch
            {
                ReconstructionLoss.Bce => Math.Max(l, 0) - l * x + Math.Log(1 + Math.Exp(-Math.Abs(l))),
                ReconstructionLoss.Mse => Square(1 / (1 + Math.Exp(-l)) - x),
                _ => Square(l - x),
            };
        }
        return sum;
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − log σ² − 1) for one image.</summary>
    public static double KlStandardNormal(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar)
    {
        double sum = 0;
        for (int j = 0; j < mu.Length; j++) sum += (double)mu[j] * mu[j] + Math.Exp(logVar[j]) - logVar[j] - 1;
        return sum / 2;
    }

    // log p(z) − log q(z|x) for z = μ + σ·ε: −½‖z‖² + ½‖ε‖² + ½ Σ log σ² (the log 2π terms cancel).
    private static double LogPriorOverPosterior(ReadOnlySpan<float> z, ReadOnlySpan<float> epsilon, ReadOnlySpan<float> logVar)
    {
        double sum = 0;
        for (int j = 0; j < z.Length; j++) sum += -(double)z[j] * z[j] + (double)epsilon[j] * epsilon[j] + logVar[j];
        return sum / 2;
    }

    // z: (b, L) → logits (b, P) on the host
    private static float[] Decode(VariationalAutoencoder vae, float[] z, int b, Device device)
    {
        using (TensorPool.IsActive ? null : TensorPool.Scope())
        using (NoGrad.Scope())
            return ToHost(vae.Decode(Tensor.FromArray(z, b, vae.Config.LatentSize).To(vae.Config.DType).To(device)).Data);
    }

    private static float[] ToHost(Tensor t) => t.To(Device.Cpu).To(DType.Float32).Contiguous().ToArray<float>();

    private static double Square(double v) => v * v;
}
