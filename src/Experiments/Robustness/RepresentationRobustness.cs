using System.Diagnostics;
using System.Globalization;
using Scratch.Autograd;
using Scratch.Experiments.AnomalyDetection;
using Scratch.Experiments.Evaluation;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Experiments.Robustness;

/// <summary>What is measured on each model, and how: the attack grids, the attack, the self-consistency sample and the probe.</summary>
public sealed record MeasureSettings
{
    /// <summary>The L∞ radii of the robustness curve (pixels in [0, 1]); 0 is the clean accuracy. Empty: no L∞ curve.</summary>
    public double[] LInfEpsilons { get; init; } = [0, 0.05, 0.1, 0.2, 0.3];
    /// <summary>The L2 radii of the robustness curve, over a whole image; 0 is the clean accuracy. Empty: no L2 curve.</summary>
    public double[] L2Epsilons { get; init; } = [0, 0.5, 1, 2, 3];
    /// <summary>PGD steps per attack.</summary>
    public int Steps { get; init; } = 20;
    /// <summary>Each step is StepFactor·ε/Steps long.</summary>
    public double StepFactor { get; init; } = 2.5;
    /// <summary>Codes z ~ N(0, I) of the self-consistency measure.</summary>
    public int ConsistencySamples { get; init; } = 2000;
    /// <summary>The logistic-regression probe's training.</summary>
    public ProbeSettings Probe { get; init; } = new();
    /// <summary>Images attacked at once.</summary>
    public int AttackBatch { get; init; } = 250;
    /// <summary>Where the model runs.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Every (norm, ε) of the curves, L∞ first, each grid in the order given.</summary>
    public IEnumerable<(AttackNorm Norm, double Epsilon)> Grid =>
        LInfEpsilons.Select(e => (AttackNorm.LInf, e)).Concat(L2Epsilons.Select(e => (AttackNorm.L2, e)));

    /// <summary>The attack at one point of the grid.</summary>
    public PgdSettings Attack(AttackNorm norm, double epsilon) => new() { Norm = norm, Epsilon = epsilon, Steps = Steps, StepFactor = StepFactor };

    /// <summary>Refuses a negative or non-finite ε, and settings no measure can run with.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        foreach (var (norm, eps) in Grid) Attack(norm, eps).Validate();
        if (ConsistencySamples < 2 || AttackBatch < 1)
            throw new ArgumentException($"robustness: {ConsistencySamples} self-consistency samples (at least 2), attack batch {AttackBatch} (at least 1)");
        Probe.Validate();
    }
}

/// <summary>
/// One point of a robustness curve: the probe's accuracy on the codes of attacked test images, and
/// how far the attack moved the codes — <see cref="CodeShift"/> the mean ‖μ(x + δ) − μ(x)‖² (the
/// attack's objective), <see cref="RelativeShift"/> that over the clean codes' total variance
/// E‖μ(x) − E μ‖² (so models whose codes differ in scale compare).
/// </summary>
public sealed record AttackPoint(AttackNorm Norm, double Epsilon, double Accuracy, double CodeShift, double RelativeShift);

/// <summary>
/// Every measure of one trained model (one row of the table before averaging over seeds).
/// <see cref="ChainConsistency"/> is <see cref="SelfConsistency.OnDataChain"/> over the active units.
/// </summary>
public sealed record ModelMeasurement(
    string Model,
    ulong Seed,
    double ReconstructionError,
    double NegativeElbo,
    int ActiveUnits,
    SelfConsistencyScore Consistency,
    double ChainConsistency,
    double ProbeTrainAccuracy,
    double CleanAccuracy,
    IReadOnlyList<AttackPoint> Attacks,
    TimeSpan TrainingTime,
    TimeSpan MeasuringTime)
{
    /// <summary>The accuracy at one point of the grid.</summary>
    /// <exception cref="ArgumentException">The point was not measured.</exception>
    public double AccuracyAt(AttackNorm norm, double epsilon) =>
        Attacks.FirstOrDefault(a => a.Norm == norm && a.Epsilon == epsilon)?.Accuracy
            ?? throw new ArgumentException($"robustness: {PgdSettings.Name(norm)} ε {epsilon} was not measured");

    /// <summary>Every scalar under its CSV name, in table order: the quality measures, each attack's accuracy and shifts, the times.</summary>
    public IReadOnlyList<(string Name, double Value)> Columns()
    {
        var columns = new List<(string, double)>
        {
            ("re", ReconstructionError), ("neg_elbo", NegativeElbo), ("active_units", ActiveUnits),
            ("sc_mse", Consistency.MeanSquaredError), ("sc_r2", Consistency.ExplainedVariance), ("sc_r2_active", Consistency.ActiveExplainedVariance),
            ("chain_r2_active", ChainConsistency),
            ("probe_train_acc", ProbeTrainAccuracy), ("clean_acc", CleanAccuracy),
        };
        foreach (var a in Attacks.Where(a => a.Epsilon > 0))
        {
            string key = AttackKey(a.Norm, a.Epsilon);
            columns.Add(($"{key}_acc", a.Accuracy));
            columns.Add(($"{key}_shift", a.CodeShift));
            columns.Add(($"{key}_rel_shift", a.RelativeShift));
        }
        columns.Add(("train_s", TrainingTime.TotalSeconds));
        columns.Add(("measure_s", MeasuringTime.TotalSeconds));
        return columns;
    }

    /// <summary>"linf_0.1" or "l2_2": a grid point as a column name.</summary>
    public static string AttackKey(AttackNorm norm, double epsilon) =>
        (norm == AttackNorm.LInf ? "linf_" : "l2_") + epsilon.ToString("G4", CultureInfo.InvariantCulture);
}

/// <summary>
/// The AVAE paper's measurements of one trained VAE-family model, as a tool any VAE or AVAE
/// checkpoint can be put through: reconstruction error and −ELBO on the test split, self-consistency
/// (<see cref="SelfConsistency"/>), and the robustness curves — a logistic-regression probe
/// (<see cref="CodeClassifier"/>) trained on the clean codes μ(x) of the training split, scored on
/// the codes of test images attacked by PGD on the encoder (<see cref="EncoderAttack"/>) at each ε.
/// </summary>
/// <remarks>
/// The paper's abstract says its encoders give representations "robust (insensitive) to
/// perturbations in the input introduced by adversarial attacks"; its attack target, radii and
/// downstream classifier could not be read for this work. The choices here: the attack maximises
/// the code's movement ‖μ(x + δ) − μ(x)‖² (it knows nothing of the labels or the probe), and the
/// probe is linear, so the accuracy it loses is information the code lost.
/// </remarks>
public static class RepresentationRobustness
{
    /// <summary>
    /// A code dimension is active when the posterior mean varies across the test images by more than
    /// this: Var_x(μ_j(x)) &gt; 0.01, Burda, Grosse and Salakhutdinov's "active units" (IWAE, ICLR 2016).
    /// An inactive dimension carries nothing about the image (its posterior is the prior's) and its
    /// z is ignored by the decoder, so no encoder can recover it: it caps the self-consistency R².
    /// </summary>
    public const double ActiveUnitThreshold = 0.01;

    /// <summary>
    /// Measures <paramref name="model"/>; <paramref name="seed"/> seeds the ELBO's sample, the
    /// self-consistency codes, the probe and the attacks' random starts, so the same seed gives the
    /// same numbers. <paramref name="log"/> hears of each attack as it finishes.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid, the data has no labels or fewer than two classes, or the model's outputs are not finite.</exception>
    public static ModelMeasurement Measure(string name, ulong seed, VariationalAutoencoder model, ImageSet train, ImageSet test, MeasureSettings settings,
        TimeSpan trainingTime, Action<string>? log = null)
    {
        settings.Validate();
        if (!train.IsLabelled || !test.IsLabelled)
            throw new ArgumentException("robustness: the probe is trained on the training labels and scored on the test labels; these images have none");
        int classes = Math.Max(train.ClassNames.Count, Math.Max(train.Labels.Max(), test.Labels.Max()) + 1);
        if (classes < 2) throw new ArgumentException("robustness: the data has one class; a classifier needs two");
        var clock = Stopwatch.StartNew();
        var device = settings.Device;
        int latent = model.Config.LatentSize;

        var original = test.ToFloats();
        double re = Metrics.ReconstructionError.Mse(original, Reconstruction.Reconstruct(model, test, device));
        double elbo = AnomalyScores.NegativeElbo(model, test, 1, seed, device).Average();
        var cleanCodes = Codes.Encode(model, test, device);                      // (N_test, L)
        var variances = Variances(cleanCodes, latent);
        double spread = variances.Sum();
        var active = variances.Select(v => v > ActiveUnitThreshold).ToArray();
        var consistency = SelfConsistency.Measure(model, settings.ConsistencySamples, Rng.ForStream(seed, 1), device, active);
        double chain = SelfConsistency.OnDataChain(model, test, Rng.ForStream(seed, 2), device, active);

        var trainCodes = Codes.Encode(model, train, device);                     // (N_train, L)
        var (probe, _) = CodeClassifier.Fit(trainCodes, train.Labels, latent, classes, settings.Probe with { Seed = settings.Probe.Seed ^ seed });
        double clean = probe.Accuracy(cleanCodes, test.Labels);

        var points = new List<AttackPoint>();
        ulong stream = 100;
        foreach (var (norm, eps) in settings.Grid)
        {
            stream++;
            if (eps == 0)
            {
                points.Add(new AttackPoint(norm, 0, clean, 0, 0));
                continue;
            }
            var attacked = AttackedCodes(model, test, settings.Attack(norm, eps), Rng.ForStream(seed, stream), settings);
            double shift = MeanSquaredDistance(attacked, cleanCodes, latent);
            var point = new AttackPoint(norm, eps, probe.Accuracy(attacked, test.Labels), shift, shift / spread);
            points.Add(point);
            log?.Invoke(string.Format(CultureInfo.InvariantCulture, "{0} seed {1}: {2} ε {3:G4}: accuracy {4:F4}, code shift {5:G4} ({6:P1} of the codes' variance)",
                name, seed, PgdSettings.Name(norm), eps, point.Accuracy, shift, point.RelativeShift));
        }
        return new ModelMeasurement(name, seed, re, elbo, active.Count(a => a), consistency, chain, probe.Accuracy(trainCodes, train.Labels), clean, points, trainingTime, clock.Elapsed);
    }

    /// <summary>The codes μ(x + δ) of every image of <paramref name="images"/> after the attack: (N, L) floats.</summary>
    public static float[] AttackedCodes(VariationalAutoencoder model, ImageSet images, PgdSettings attack, Rng rng, MeasureSettings settings)
    {
        int latent = model.Config.LatentSize;
        var codes = new float[images.Count * latent];
        bool wasTraining = model.IsTraining;
        // Eval mode: BatchNorm must normalise each image by the running statistics, or the
        // attack on one image would move the codes of the others in its batch.
        model.Eval();
        try
        {
            var parameters = model.Encoder.Parameters().ToList();
            foreach (var indices in new BatchIterator(images.Count, settings.AttackBatch, seed: 0, shuffle: false).Batches(0))
            {
                var x = Batches.Gather(images, indices, model.Config.DType, settings.Device);            // (b, P)
                var adversarial = EncoderAttack.Attack(v => model.Posterior(v).Mu, x, attack, rng, parameters);
                using (TensorPool.IsActive ? null : TensorPool.Scope())
                using (NoGrad.Scope())
                {
                    var mu = model.Posterior(adversarial).Mu.Data.To(Device.Cpu).To(DType.Float32).Contiguous();   // (b, L)
                    mu.AsSpan<float>().CopyTo(codes.AsSpan(indices[0] * latent));
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return codes;
    }

    // E‖a − b‖² over rows: (N, L) each.
    private static double MeanSquaredDistance(float[] a, float[] b, int latent)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum / (a.Length / latent);
    }

    // Var(c_j) over rows of codes: (N, L) → (L); their sum is E‖c − E c‖².
    private static double[] Variances(float[] codes, int latent)
    {
        int n = codes.Length / latent;
        var variances = new double[latent];
        for (int j = 0; j < latent; j++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++)
            {
                double v = codes[i * latent + j];
                sum += v;
                squares += v * v;
            }
            variances[j] = squares / n - (sum / n) * (sum / n);
        }
        return variances;
    }
}
