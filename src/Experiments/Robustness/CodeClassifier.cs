using Scratch.Autograd;
using Scratch.Models.Data;
using Scratch.Models.Nn;
using Scratch.Models.Optim;

namespace Scratch.Experiments.Robustness;

/// <summary>How the probe is trained: Adam on the softmax cross-entropy, mini-batches in a seeded order.</summary>
public sealed record ProbeSettings
{
    /// <summary>
    /// Passes over the training codes. Default 200: on the bundled sample's codes the loss was still
    /// falling after 50 (test accuracy +1 to +3 points from 50 to 200 epochs), and 200 take about a
    /// second.
    /// </summary>
    public int Epochs { get; init; } = 200;
    /// <summary>Codes per step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's rate; a convex problem on a few dozen inputs takes a large one (3e-2 beat 1e-2 and 3e-3 at 200 epochs).</summary>
    public double LearningRate { get; init; } = 3e-2;
    /// <summary>Seeds the initial weights and the batch order.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Refuses settings no training can run with.</summary>
    /// <exception cref="ArgumentException">A count is not positive or the rate is not a positive finite number.</exception>
    public void Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || !(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"probe: invalid settings (epochs {Epochs}, batch {BatchSize}, learning rate {LearningRate})");
    }
}

/// <summary>
/// The "simple classifier on codes" of the robustness curves: multinomial logistic regression,
/// softmax(W·(μ − m)/s + b) with W: (classes, latent), trained by the engine (Linear, cross-entropy,
/// Adam) on the clean codes μ(x) of the training split and never on attacked ones. m is the training
/// codes' mean and s the standard deviation of their widest dimension, both fixed before training.
/// </summary>
/// <remarks>
/// The one scale s is for the optimiser, not the model (logistic regression is the same family
/// under any affine map of its inputs): codes of different models differ in scale by 10× (an
/// AVAE's spread is far below the prior's), and Adam from the same start and rate reaches very
/// different points after the same steps on the raw codes. A scale per dimension would do more
/// for conditioning, but it would blow the near-constant inactive dimensions up to unit variance and
/// let the probe lean on them — the noise of μ in a dimension the decoder ignores — which an attack
/// then moves at no cost. One scale keeps the code's geometry, the one the attack measures.
/// </remarks>
public sealed class CodeClassifier : Module
{
    /// <summary>W: (classes, latent) and b: (classes).</summary>
    public Linear Layer { get; }
    /// <summary>The code's width.</summary>
    public int Latent { get; }
    /// <summary>How many classes it scores.</summary>
    public int Classes { get; }
    /// <summary>m: (latent), subtracted from every code before the linear layer.</summary>
    public float[] Center { get; }
    /// <summary>s, the one scale every centred code is divided by.</summary>
    public float Scale { get; }

    /// <summary>An untrained probe (PyTorch's Linear initialisation from <paramref name="rng"/>) reading codes as (μ − center)/scale.</summary>
    /// <exception cref="ArgumentException">latent &lt; 1, classes &lt; 2, a center of another width, or a scale that is not positive.</exception>
    public CodeClassifier(int latent, int classes, Rng rng, float[]? center = null, float scale = 1)
    {
        if (latent < 1 || classes < 2)
            throw new ArgumentException($"probe: {latent} code dimensions and {classes} classes; needs at least 1 and 2");
        if (center is { } c && c.Length != latent || !(scale > 0) || !float.IsFinite(scale))
            throw new ArgumentException($"probe: a center of {center?.Length} values for {latent} dimensions, scale {scale}");
        (Latent, Classes, Center, Scale) = (latent, classes, center ?? new float[latent], scale);
        Layer = RegisterModule("linear", new Linear(latent, classes, rng));
    }

    /// <summary>codes: (B, Latent) → logits (B, Classes).</summary>
    public Variable Forward(Variable codes) => Layer.Forward(codes);

    // (μ − m)/s for rows of codes: (N, Latent) → (N, Latent), a new array.
    private float[] Standardise(float[] codes)
    {
        var result = new float[codes.Length];
        for (int i = 0; i < codes.Length; i++) result[i] = (codes[i] - Center[i % Latent]) / Scale;
        return result;
    }

    /// <summary>
    /// Trains a probe on <paramref name="codes"/>: (N, latent) row-major with their labels, classes
    /// 0..<paramref name="classes"/> − 1. Returns it with its last epoch's mean training loss.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, a label is out of range, or the loss stops being finite.</exception>
    public static (CodeClassifier Probe, double Loss) Fit(float[] codes, int[] labels, int latent, int classes, ProbeSettings settings)
    {
        settings.Validate();
        if (labels.Length == 0 || codes.Length != labels.Length * latent)
            throw new ArgumentException($"probe: {codes.Length} code values for {labels.Length} labels of {latent} dimensions");
        var (center, scale) = Moments(codes, latent);
        var probe = new CodeClassifier(latent, classes, new Rng(settings.Seed), center, scale);
        codes = probe.Standardise(codes);
        var adam = new Adam(probe.Parameters(), settings.LearningRate);
        var order = new BatchIterator(labels.Length, settings.BatchSize, settings.Seed);
        double epochLoss = double.NaN;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double sum = 0;
            foreach (var indices in order.Batches(epoch))
                using (TensorPool.Scope())
                {
                    var x = Tensor.FromArray(Rows(codes, latent, indices), indices.Length, latent);   // (b, L)
                    adam.ZeroGrad();
                    var loss = Losses.CrossEntropy(probe.Forward(x), indices.Select(i => labels[i]).ToArray());
                    double value = loss.Item();
                    if (!double.IsFinite(value)) throw new ArgumentException($"probe: the loss became {value} in epoch {epoch + 1}; are the codes finite?");
                    loss.Backward();
                    adam.Step();
                    sum += value * indices.Length;
                }
            epochLoss = sum / labels.Length;
        }
        return (probe, epochLoss);
    }

    /// <summary>The most probable class of each code: (N, Latent) → (N).</summary>
    public int[] Predict(float[] codes)
    {
        int n = codes.Length / Latent;
        var predictions = new int[n];
        using (TensorPool.IsActive ? null : TensorPool.Scope())
        using (NoGrad.Scope())
        {
            var logits = Forward(Tensor.FromArray(Standardise(codes), n, Latent)).Data.ToArray<float>();   // (N, C)
            for (int i = 0; i < n; i++)
            {
                var row = logits.AsSpan(i * Classes, Classes);
                int best = 0;
                for (int c = 1; c < Classes; c++) if (row[c] > row[best]) best = c;
                predictions[i] = best;
            }
        }
        return predictions;
    }

    /// <summary>The fraction of codes: (N, Latent) classified as their labels.</summary>
    public double Accuracy(float[] codes, int[] labels)
    {
        var predicted = Predict(codes);
        if (predicted.Length != labels.Length) throw new ArgumentException($"probe: {predicted.Length} codes for {labels.Length} labels");
        return (double)predicted.Where((p, i) => p == labels[i]).Count() / labels.Length;
    }

    // The mean of each dimension, and the largest standard deviation of any (1 for constant codes).
    private static (float[] Center, float Scale) Moments(float[] codes, int latent)
    {
        int n = codes.Length / latent;
        var center = new float[latent];
        double widest = 0;
        for (int j = 0; j < latent; j++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++)
            {
                double v = codes[i * latent + j];
                sum += v;
                squares += v * v;
            }
            center[j] = (float)(sum / n);
            widest = Math.Max(widest, squares / n - (sum / n) * (sum / n));
        }
        double scale = Math.Sqrt(widest);
        return (center, scale > 1e-12 ? (float)scale : 1f);
    }

    private static float[] Rows(float[] codes, int latent, int[] indices)
    {
        var rows = new float[indices.Length * latent];
        for (int r = 0; r < indices.Length; r++) codes.AsSpan(indices[r] * latent, latent).CopyTo(rows.AsSpan(r * latent));
        return rows;
    }
}
