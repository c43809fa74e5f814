using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Nn;

namespace Scratch.Experiments.Tests.AnomalyDetection;

// Scores on models whose weights are set by hand, so the right answer is known in closed form.
public class AnomalyScoresTests
{
    [Test]
    public void PerImageLoss_MatchesTheTextbookFormulas()
    {
        // BCE: −[x·log σ(l) + (1 − x)·log(1 − σ(l))], summed over pixels.
        float[] logits = [0f, 2f, -3f, 15f];
        float[] x = [0.5f, 1f, 0f, 0.25f];
        double bce = 0;
        for (int i = 0; i < 4; i++)
        {
            double s = 1 / (1 + Math.Exp(-(double)logits[i]));
            bce -= x[i] * Math.Log(s) + (1 - x[i]) * Math.Log(1 - s);
        }
        Assert.That(AnomalyScores.PerImageLoss(logits, x, ReconstructionLoss.Bce), Is.EqualTo(bce).Within(1e-9));
        Assert.That(AnomalyScores.PerImageLoss([0f], [0.5f], ReconstructionLoss.Bce), Is.EqualTo(Math.Log(2)).Within(1e-12));
        Assert.That(AnomalyScores.PerImageLoss([0f, 0f], [1f, 0f], ReconstructionLoss.Mse), Is.EqualTo(0.25 + 0.25).Within(1e-12));
        Assert.That(AnomalyScores.PerImageLoss([0.5f, 2f], [1f, 0f], ReconstructionLoss.LinearMse), Is.EqualTo(0.25 + 4).Within(1e-12));
    }

    [Test]
    public void KlStandardNormal_OfKnownGaussians()
    {
        Assert.That(AnomalyScores.KlStandardNormal([0f], [0f]), Is.EqualTo(0));
        // ½[(1 + 1 − 0 − 1) + (4 + 4 − ln 4 − 1)]
        Assert.That(AnomalyScores.KlStandardNormal([1f, 2f], [0f, (float)Math.Log(4)]), Is.EqualTo(0.5 * (1 + 7 - Math.Log(4))).Within(1e-6));
    }

    [Test]
    public void ReconstructionError_OfAModelThatAlwaysOutputsOneHalf_IsEachImagesMeanSquaredDistanceToIt()
    {
        // A linear AE with all weights 0 and output bias 0.5 reconstructs every image as 0.5 everywhere.
        var ae = new UndercompleteAutoencoder(new AutoencoderConfig { InputSize = 4, HiddenSizes = [], LatentSize = 2, Loss = ReconstructionLoss.LinearMse }, new Rng(1));
        Fill(ae, _ => 0);
        Set(ae, "decoder.0.bias", 0.5);
        var images = Split(2, [0f, 0.4f, 1f, 0.6f, /**/ 1f, 1f, 1f, 1f]);   // multiples of 51/255: exact as bytes
        Assert.That(AnomalyScores.ReconstructionError(ae, images), Is.EqualTo(new[] { 0.13, 0.25 }).Within(1e-7));
    }

    [Test]
    public void NegativeElbo_WithOneSample_IsTheReconstructionLossPlusTheClosedFormKl()
    {
        // Encoder weights 0: μ and log σ² are the encoder's biases for every image. Decoder weights 0:
        // the logits are the decoder's bias whatever z is drawn, so −ELBO = ℓ(x) + KL exactly.
        var vae = ConstantVae(mu: [0.5f, -1f], logVar: [0.2f, -0.3f], logits: [1f, -2f, 0f, 3f]);
        var images = Split(2, [0f, 1f, 0.5f, 1f, /**/ 0.2f, 0.2f, 0.9f, 0f]);
        var scores = AnomalyScores.NegativeElbo(vae, images, samples: 1);
        double kl = AnomalyScores.KlStandardNormal([0.5f, -1f], [0.2f, -0.3f]);
        for (int n = 0; n < 2; n++)
        {
            double loss = AnomalyScores.PerImageLoss([1f, -2f, 0f, 3f], images.ToFloats(n, 1), ReconstructionLoss.Bce);
            Assert.That(scores[n], Is.EqualTo(loss + kl).Within(1e-6), $"image {n}");
        }
    }

    [Test]
    public void ImportanceWeighting_ReachesTheTrueLikelihood_WhereTheElboCannot()
    {
        // With a decoder that ignores z, p(x) = p(x|z) exactly, so −log p(x) = ℓ(x). The ELBO stays
        // KL above it; the importance-weighted bound averages p(z)/q(z|x), whose mean is 1, and
        // closes the gap as K grows.
        var vae = ConstantVae(mu: [0.3f], logVar: [-0.4f], logits: [0.5f, -1f, 2f, 0f]);
        var images = Split(1, [1f, 0f, 1f, 0.5f]);
        double truth = AnomalyScores.PerImageLoss([0.5f, -1f, 2f, 0f], images.ToFloats(0, 1), ReconstructionLoss.Bce);
        double kl = AnomalyScores.KlStandardNormal([0.3f], [-0.4f]);
        double elbo = AnomalyScores.NegativeElbo(vae, images, samples: 1)[0];
        double iwae = AnomalyScores.NegativeElbo(vae, images, samples: 4000, seed: 3)[0];
        Assert.That(elbo - truth, Is.EqualTo(kl).Within(1e-6));
        Assert.That(kl, Is.GreaterThan(0.05), "a gap the test can see");
        Assert.That(Math.Abs(iwae - truth), Is.LessThan(0.02), $"IWAE {iwae} vs −log p(x) {truth}");
    }

    [Test]
    public void NegativeElbo_WhenThePosteriorIsThePrior_IsExactForAnyK()
    {
        // μ = 0, σ = 1: p(z)/q(z|x) = 1 for every sample, so every K gives ℓ(x) exactly.
        var vae = ConstantVae(mu: [0f, 0f], logVar: [0f, 0f], logits: [1f, 1f, -1f, 0f]);
        var images = Split(1, [1f, 0f, 0f, 1f]);
        double truth = AnomalyScores.PerImageLoss([1f, 1f, -1f, 0f], images.ToFloats(0, 1), ReconstructionLoss.Bce);
        foreach (int k in new[] { 1, 2, 7 })
            Assert.That(AnomalyScores.NegativeElbo(vae, images, samples: k)[0], Is.EqualTo(truth).Within(1e-5), $"K = {k}");
        Assert.That(() => AnomalyScores.NegativeElbo(vae, images, samples: 0), Throws.ArgumentException.With.Message.Contains("samples"));
    }

    // A VAE on 2×2 images whose encoder and decoder ignore their inputs: only the biases speak.
    private static VariationalAutoencoder ConstantVae(float[] mu, float[] logVar, float[] logits)
    {
        var vae = new VariationalAutoencoder(new AutoencoderConfig { InputSize = 4, HiddenSizes = [], LatentSize = mu.Length }, new Rng(1));
        Fill(vae, _ => 0);
        Set(vae, "encoder.0.bias", [.. mu, .. logVar]);
        Set(vae, "decoder.0.bias", logits);
        return vae;
    }

    // 2×2 grey images from values in [0, 1], stored as the nearest bytes (as any image is): expectations read them back with ToFloats.
    private static ImageSet Split(int count, float[] images) =>
        new(new ImageShape(1, 2, 2), images.Select(v => (byte)Math.Round(v * 255)).ToArray(), labels: null);

    private static void Fill(Module model, Func<string, double> value)
    {
        foreach (var (name, p) in model.NamedParameters())
            p.Data.CopyFrom(Tensor.Full(p.Data.ShapeArray, value(name), p.Data.DType));
    }

    private static void Set(Module model, string name, double value) => Set(model, name, [(float)value]);

    private static void Set(Module model, string name, float[] values)
    {
        var p = model.NamedParameters().Single(np => np.Name == name).Parameter;
        var full = values.Length == 1 ? Enumerable.Repeat(values[0], p.Data.Numel).ToArray() : values;
        p.Data.CopyFrom(Tensor.FromArray(full, p.Data.ShapeArray));
    }
}
