using Scratch.Experiments.Robustness;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Tests.Robustness;

public class ProbeAndConsistencyTests
{
    [Test]
    public void Probe_LearnsLinearlySeparableCodes()
    {
        // Three classes, each a tight cloud around its own corner of a 4-d code space.
        var rng = new Rng(4);
        (float[] Codes, int[] Labels) Draw(int n)
        {
            var codes = new float[n * 4];
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = i % 3;
                for (int j = 0; j < 4; j++) codes[i * 4 + j] = (float)((j == labels[i] ? 3 : 0) + 0.3 * rng.NextNormal());
            }
            return (codes, labels);
        }
        var train = Draw(300);
        var test = Draw(300);
        var (probe, loss) = CodeClassifier.Fit(train.Codes, train.Labels, 4, 3, new ProbeSettings { Epochs = 100 });
        Assert.That(probe.Accuracy(train.Codes, train.Labels), Is.EqualTo(1.0));
        Assert.That(probe.Accuracy(test.Codes, test.Labels), Is.EqualTo(1.0));
        Assert.That(loss, Is.LessThan(0.05), "the cross-entropy of separable classes goes towards 0");
    }

    [Test]
    public void Probe_RefusesCodesThatDoNotMatchTheLabels()
    {
        Assert.Throws<ArgumentException>(() => CodeClassifier.Fit(new float[10], [0, 1, 0], 4, 2, new ProbeSettings()));
        Assert.Throws<ArgumentException>(() => CodeClassifier.Fit(new float[8], [0, 1], 4, 2, new ProbeSettings { Epochs = 0 }));
    }

    [Test]
    public void SelfConsistency_IsPerfectForAnEncoderThatInvertsTheDecoder_AndZeroForAConstantOne()
    {
        // A linear VAE (no hidden layer, linear output) on 5 pixels with a 2-d code: decoder x = Dz + b.
        // Encoder μ = D⁺(x − b) with D⁺ = (DᵀD)⁻¹Dᵀ recovers z exactly: mse 0, R² 1.
        var config = new AutoencoderConfig { InputSize = 5, HiddenSizes = [], LatentSize = 2, Loss = ReconstructionLoss.LinearMse, DType = DType.Float64 };
        var vae = new VariationalAutoencoder(config, new Rng(3));
        var decoder = (Linear)vae.Decoder.Layers[^1];
        var encoder = (Linear)vae.Encoder.Layers[^1];
        var d = decoder.Weight.Data.ToArray<double>();   // (5, 2)
        var b = decoder.Bias!.Data.ToArray<double>();    // (5)
        // (DᵀD)⁻¹, 2×2
        double a11 = 0, a12 = 0, a22 = 0;
        for (int i = 0; i < 5; i++) { a11 += d[i * 2] * d[i * 2]; a12 += d[i * 2] * d[i * 2 + 1]; a22 += d[i * 2 + 1] * d[i * 2 + 1]; }
        double det = a11 * a22 - a12 * a12;
        double[,] inv = { { a22 / det, -a12 / det }, { -a12 / det, a11 / det } };
        var pinv = new double[2, 5];
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 5; i++) pinv[r, i] = inv[r, 0] * d[i * 2] + inv[r, 1] * d[i * 2 + 1];
        var weight = new double[4 * 5];   // rows 0..1: μ = D⁺x + c; rows 2..3: log σ² = 0
        var bias = new double[4];
        for (int r = 0; r < 2; r++)
        {
            for (int i = 0; i < 5; i++)
            {
                weight[r * 5 + i] = pinv[r, i];
                bias[r] -= pinv[r, i] * b[i];
            }
        }
        encoder.Weight.Data.CopyFrom(Tensor.FromArray(weight, 4, 5));
        encoder.Bias!.Data.CopyFrom(Tensor.FromArray(bias, 4));
        var exact = SelfConsistency.Measure(vae, 1000, new Rng(5));
        Assert.That(exact.MeanSquaredError, Is.LessThan(1e-20));
        Assert.That(exact.ExplainedVariance, Is.EqualTo(1.0).Within(1e-12));
        Assert.That(exact.ActiveExplainedVariance, Is.NaN, "no active dimensions named");
        Assert.That(SelfConsistency.Measure(vae, 1000, new Rng(5), active: [true, false]).ActiveExplainedVariance, Is.EqualTo(1.0).Within(1e-12));
        // The AVAE's chain from real images: z ~ q(z|x) = N(μ(x), 1), decoded and re-encoded, comes back exactly.
        var images = new ImageSet(new ImageShape(1, 1, 5), Enumerable.Range(0, 60).Select(i => (byte)(i * 4)).ToArray(), null);
        Assert.That(SelfConsistency.OnDataChain(vae, images, new Rng(6)), Is.EqualTo(1.0).Within(1e-12));

        // μ = 0 for every image: the error is E z² ≈ 1 per dimension and nothing is explained.
        encoder.Weight.Data.CopyFrom(Tensor.FromArray(new double[20], 4, 5));
        encoder.Bias!.Data.CopyFrom(Tensor.FromArray(new double[4], 4));
        var constant = SelfConsistency.Measure(vae, 1000, new Rng(5));
        Assert.That(constant.MeanSquaredError, Is.EqualTo(1.0).Within(0.1));
        Assert.That(constant.ExplainedVariance, Is.EqualTo(0.0).Within(0.01).And.LessThanOrEqualTo(0.0), "1 − Σz²/Σ(z − z̄)² ≤ 0");
        Assert.That(SelfConsistency.OnDataChain(vae, images, new Rng(6)), Is.LessThanOrEqualTo(0.0));
    }

    [Test]
    public void AttackLowersATrainedModelsProbeAccuracy_AndEpsilonZeroIsTheCleanAccuracy()
    {
        // A small VAE (784-64-8) trained for a few seconds on 1,500 digits: its codes carry the digit
        // (4× chance), and the attacks must take much of that away.
        var data = DataSource.Load(DataSource.SampleDirectory());
        var train = data.Train.Take(1500);
        var test = data.Test.Take(200);
        var config = new AutoencoderConfig { HiddenSizes = [64], LatentSize = 8 };
        var vae = new VariationalAutoencoder(config, new Rng(1));
        var options = new TrainOptions { Epochs = 8, BatchSize = 64, Seed = 1 };
        new Trainer(vae, Optimization.CreateOptimizer(options, vae.Parameters()), options).Fit(train, test);
        var settings = new MeasureSettings { LInfEpsilons = [0, 0.2], L2Epsilons = [0, 2], Steps = 10, ConsistencySamples = 200, Probe = new ProbeSettings { Epochs = 50 } };
        var measured = RepresentationRobustness.Measure("vae", 1, vae, train, test, settings, TimeSpan.Zero);
        TestContext.Out.WriteLine(string.Join(", ", measured.Columns().Select(c => $"{c.Name} {c.Value:G4}")));
        Assert.That(measured.CleanAccuracy, Is.GreaterThan(0.4), "the codes carry the digit");
        Assert.That(measured.AccuracyAt(AttackNorm.LInf, 0), Is.EqualTo(measured.CleanAccuracy));
        Assert.That(measured.AccuracyAt(AttackNorm.L2, 0), Is.EqualTo(measured.CleanAccuracy));
        Assert.That(measured.AccuracyAt(AttackNorm.LInf, 0.2), Is.LessThan(measured.CleanAccuracy - 0.2));
        Assert.That(measured.AccuracyAt(AttackNorm.L2, 2), Is.LessThan(measured.CleanAccuracy - 0.1));
        Assert.That(measured.Attacks.Where(a => a.Epsilon > 0).Select(a => a.CodeShift), Is.All.GreaterThan(0));
        Assert.That(measured.ActiveUnits, Is.InRange(1, 8));
        Assert.That(vae.Encoder.Parameters().Select(p => p.Grad), Is.All.Null, "the attacks leave no gradients in the encoder");
    }
}
