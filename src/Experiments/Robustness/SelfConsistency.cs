using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Experiments.Robustness;

/// <summary>
/// How consistently a VAE encodes what its own decoder generates, over <see cref="Samples"/> codes
/// z ~ N(0, I): <see cref="MeanSquaredError"/> is mean ‖μ(x) − z‖² per latent dimension and
/// <see cref="ExplainedVariance"/> is 1 − Σ‖μ(x) − z‖² / Σ‖z − z̄‖², the fraction of z's variance
/// the re-encoding recovers (1: μ(decode(z)) = z; 0: no better than the mean code).
/// <see cref="ActiveExplainedVariance"/> is the same fraction over the active dimensions only (NaN
/// when none were named): the decoder ignores an inactive dimension's z, so no encoder can recover
/// it, and with most of 64 dimensions inactive the plain fraction mostly counts them.
/// </summary>
public sealed record SelfConsistencyScore(int Samples, double MeanSquaredError, double ExplainedVariance, double ActiveExplainedVariance);

/// <summary>
/// The self-consistency the AVAE paper is about (Cemgil et al., NeurIPS 2020: "Does a Variational
/// AutoEncoder (VAE) consistently encode typical samples generated from its decoder?"): draw
/// z ~ p(z) = N(0, I), decode it to x = the decoder's mean image (sigmoid of the logits, the image
/// the AVAE's own chain re-encodes), encode x to its posterior mean μ(x), and compare μ(x) with z.
/// <see cref="OnDataChain"/> runs the same comparison on the chain the AVAE is trained along,
/// z ~ q(z|x) of real images.
/// </summary>
/// <remarks>
/// The paper's own measure of this could not be read for this work (only its abstract and
/// introduction were at hand), so these are Scratch's choice, stated where they are printed.
/// The AVAE's coupling asks for μ(x) ≈ ρz, not z; at ρ = 0.975 that bias costs (1 − ρ)²·E[z²] =
/// 0.000625 per dimension of unit variance, far below the differences measured between models.
/// </remarks>
public static class SelfConsistency
{
    /// <summary>
    /// Measures <paramref name="vae"/> on <paramref name="samples"/> codes drawn from <paramref name="rng"/>
    /// (eval mode, no graph); <paramref name="active"/>: (Latent) marks the dimensions of the active-only fraction.
    /// </summary>
    /// <exception cref="ArgumentException">samples &lt; 2, a mask of another width, or the model's outputs are not finite.</exception>
    public static SelfConsistencyScore Measure(VariationalAutoencoder vae, int samples, Rng rng, Device? device = null, bool[]? active = null, int batchSize = 500)
    {
        if (samples < 2) throw new ArgumentException($"self-consistency: {samples} samples; at least 2 (a variance needs two)");
        int latent = vae.Config.LatentSize;
        var fit = new Fit(latent, active);
        using (Evaluating(vae))
            for (int start = 0; start < samples; start += batchSize)
            {
                int b = Math.Min(batchSize, samples - start);
                using (TensorPool.IsActive ? null : TensorPool.Scope())
                using (NoGrad.Scope())
                {
                    var z = Tensor.Randn([b, latent], rng, vae.Config.DType, device ?? Device.Cpu);   // (b, L)
                    fit.Add(Host(z), Host(ReEncode(vae, z)));
                }
            }
        return fit.Score(vae.Kind, samples);
    }

    /// <summary>
    /// The fraction of z's variance recovered along the AVAE's training chain: for each image x of
    /// <paramref name="images"/>, z = μ(x) + σ(x)·ε ~ q(z|x), x' = the decoder's mean image of z, and
    /// μ(x') against z, over the <paramref name="active"/> dimensions (all when null).
    /// </summary>
    /// <exception cref="ArgumentException">A mask of another width, or the model's outputs are not finite.</exception>
    public static double OnDataChain(VariationalAutoencoder vae, ImageSet images, Rng rng, Device? device = null, bool[]? active = null, int batchSize = 500)
    {
        int latent = vae.Config.LatentSize;
        var fit = new Fit(latent, active ?? Enumerable.Repeat(true, latent).ToArray());
        using (Evaluating(vae))
            foreach (var indices in new BatchIterator(images.Count, batchSize, seed: 0, shuffle: false).Batches(0))
                using (TensorPool.IsActive ? null : TensorPool.Scope())
                using (NoGrad.Scope())
                {
                    var x = Batches.Gather(images, indices, vae.Config.DType, device ?? Device.Cpu);      // (b, P)
                    var (mu, logVar) = vae.Posterior(x);                                                 // (b, L) each
                    var epsilon = Tensor.Randn([indices.Length, latent], rng, vae.Config.DType, x.Device);
                    var z = mu.Data + (logVar.Data * 0.5).Exp() * epsilon;                               // (b, L)
                    fit.Add(Host(z), Host(ReEncode(vae, z)));
                }
        return fit.Score(vae.Kind, images.Count).ActiveExplainedVariance;
    }

    // z: (b, L) → μ(decoder's mean image of z): (b, L).
    private static Tensor ReEncode(VariationalAutoencoder vae, Tensor z)
    {
        var logits = vae.Decode(z).Data;                                                            // (b, P)
        var images = vae.Config.Loss == ReconstructionLoss.LinearMse ? logits : logits.Sigmoid();
        return vae.Posterior(images).Mu.Data;
    }

    // Sums over (z, μ) pairs: the squared errors, and z's moments per dimension.
    private sealed class Fit(int latent, bool[]? active)
    {
        private readonly double[] _error = new double[latent], _sum = new double[latent], _squares = new double[latent];
        private readonly bool[]? _active = active is null || active.Length == latent ? active
            : throw new ArgumentException($"self-consistency: an active-dimension mask of {active.Length} for {latent} dimensions");

        // z and μ: (b, L) row-major.
        public void Add(double[] z, double[] mu)
        {
            for (int i = 0; i < z.Length; i++)
            {
                double d = mu[i] - z[i];
                _error[i % latent] += d * d;
                _sum[i % latent] += z[i];
                _squares[i % latent] += z[i] * z[i];
            }
        }

        public SelfConsistencyScore Score(string kind, int count)
        {
            if (!_error.All(double.IsFinite))
                throw new ArgumentException($"self-consistency: the {kind} model's codes of decoded codes are not finite");
            double error = 0, total = 0, activeError = 0, activeTotal = 0;
            for (int j = 0; j < latent; j++)
            {
                double spread = _squares[j] - _sum[j] * _sum[j] / count;   // Σ(z_j − z̄_j)²
                error += _error[j];
                total += spread;
                if (_active is { } a && a[j]) (activeError, activeTotal) = (activeError + _error[j], activeTotal + spread);
            }
            double activeFraction = _active is null || activeTotal <= 0 ? double.NaN : 1 - activeError / activeTotal;
            return new SelfConsistencyScore(count, error / ((double)count * latent), 1 - error / total, activeFraction);
        }
    }

    private static IDisposable Evaluating(VariationalAutoencoder vae)
    {
        bool wasTraining = vae.IsTraining;
        vae.Eval();
        return new Restore(() => vae.Train(wasTraining));
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static double[] Host(Tensor t) => t.To(Device.Cpu).To(DType.Float64).Contiguous().ToArray<double>();
}
