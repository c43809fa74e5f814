using Scratch.Autograd;
using Scratch.Models.Data;
using Scratch.Models.Nn;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Generation;

/// <summary>The recipe of the feature network: same recipe, same seed, same thread count → same weights.</summary>
public sealed record ClassifierRecipe
{
    public int Channels1 { get; init; } = 16;
    public int Channels2 { get; init; } = 32;
    /// <summary>Width of the penultimate layer: the feature space of FID and precision/recall.</summary>
    public int Hidden { get; init; } = 128;
    public int Epochs { get; init; } = 15;
    /// <summary>Random shifts of up to this many pixels each way while training (0 = none).</summary>
    public int MaxShift { get; init; } = 2;
    /// <summary>Dropout before the classifier's last layer while training.</summary>
    public double Dropout { get; init; } = 0.3;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    public ulong Seed { get; init; } = 1;

    /// <summary>A name that changes whenever the recipe does: the cache file's name.</summary>
    public string Key => FormattableString.Invariant($"lenet-c{Channels1}-{Channels2}-h{Hidden}-e{Epochs}-b{BatchSize}-lr{LearningRate:R}-shift{MaxShift}-drop{Dropout:R}-s{Seed}");

    /// <summary>The recipe a <see cref="Key"/> names, or null when the text is not one (a file's key, read back).</summary>
    public static ClassifierRecipe? Parse(string key)
    {
        var m = System.Text.RegularExpressions.Regex.Match(key,
            @"^lenet-c(\d{1,4})-(\d{1,4})-h(\d{1,5})-e(\d{1,5})-b(\d{1,5})-lr([0-9.eE+-]{1,30})-shift(\d{1,3})-drop([0-9.eE+-]{1,30})-s(\d{1,20})$");
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (!m.Success || !double.TryParse(m.Groups[6].Value, c, out double lr) || !double.TryParse(m.Groups[8].Value, c, out double dropout)
            || !ulong.TryParse(m.Groups[9].Value, c, out ulong seed))
            return null;
        int Int(int group) => int.Parse(m.Groups[group].Value, c);
        var recipe = new ClassifierRecipe
        {
            Channels1 = Int(1), Channels2 = Int(2), Hidden = Int(3), Epochs = Int(4), BatchSize = Int(5),
            LearningRate = lr, MaxShift = Int(7), Dropout = dropout, Seed = seed,
        };
        bool sane = recipe is { Channels1: > 0, Channels2: > 0, Hidden: > 0, BatchSize: > 0 } && dropout is >= 0 and < 1;
        return sane && recipe.Key == key ? recipe : null;   // the key round-trips, or it was not written by Key
    }

}

/// <summary>
/// A LeNet-like classifier (LeCun et al. 1998, with ReLU and max pooling), trained by the engine on
/// the dataset's own labelled training images. It stands in for Inception: FID and precision/recall
/// compare real and generated images in its feature space — features that know what the dataset's
/// images look like, which pixel distances do not. Any C×H×W of at least 16×16 (<see cref="MinSide"/>):
/// <code>
/// (B, C·H·W) → (B, C, H, W) → conv 5×5 pad 2 → ReLU → max pool 2 → (B, c1, ⌊H/2⌋, ⌊W/2⌋)
///   → conv 5×5 → ReLU → max pool 2 → the block (B, c2, h, w), h = ⌊(⌊H/2⌋ − 4)/2⌋ (5 for 28)
///   features: average pool ⌊h/2⌋×⌊w/2⌋ → (B, c2·2·2) (3×3 when h is 3) 
///   head:     flatten → Linear(c2·h·w → hidden) → ReLU → dropout → Linear(hidden → classes)
/// </code>
/// For 28×28 grey digits this is the LeNet the experiment has always used, layer for layer.
/// </summary>
/// <remarks>
/// The feature space is the last convolutional block, average-pooled to 2×2 — the analogue of the
/// pooled last convolutional layer of Inception that FID uses. Measured on the bundled test digits,
/// the penultimate dense layer was the worse choice: uniform noise lands near its origin (dead
/// ReLUs), inside the k-NN balls of faint real digits, and scored precision 0.99; in the pooled
/// convolutional features noise scores precision 0 and training digits 0.87, as the sanity rows
/// demand. 4·c2 dimensions also keep FID's eigendecompositions cheap.
/// </remarks>
public sealed class FeatureClassifier : Module
{
    /// <summary>The smallest side it takes: two 2× poolings and a 5×5 convolution must leave a 2×2 block.</summary>
    public const int MinSide = 16;

    public ClassifierRecipe Recipe { get; }
    /// <summary>The images it classifies.</summary>
    public ImageShape Image { get; }
    /// <summary>How many classes its head scores.</summary>
    public int Classes { get; }
    /// <summary>Dimensions of the feature space: c2 · the pooled block's cells (4·c2 for 28×28).</summary>
    public int FeatureSize { get; }
    /// <summary>Image → last convolutional block: (B, C·H·W) → (B, c2, h, w).</summary>
    public Sequential Body { get; }
    /// <summary>The feature tap: (B, c2, h, w) → average pool → (B, FeatureSize).</summary>
    public Sequential FeatureTap { get; }
    /// <summary>Block → class logits: (B, c2, h, w) → (B, c2·h·w) → (B, Hidden) → (B, Classes).</summary>
    public Sequential Head { get; }

    /// <summary>The classifier of <paramref name="recipe"/> for <paramref name="image"/>s of <paramref name="classes"/> classes, weights drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">The images are smaller than 16×16, or there are fewer than 2 classes (the message says which).</exception>
    public FeatureClassifier(ClassifierRecipe recipe, ImageShape image, int classes, Rng rng)
    {
        if (image.Height < MinSide || image.Width < MinSide)
            throw new ArgumentException($"the feature network takes images of at least {MinSide}×{MinSide} pixels, not {image}");
        if (classes < 2)
            throw new ArgumentException($"the feature network is trained to tell classes apart, and the data has {classes} class{(classes == 1 ? "" : "es")}");
        (Recipe, Image, Classes) = (recipe, image, classes);
        int c1 = recipe.Channels1, c2 = recipe.Channels2;
        int h = (image.Height / 2 - 4) / 2, w = (image.Width / 2 - 4) / 2;   // the block's size: 5×5 for 28×28
        var pool = new Size2(h / 2, w / 2);                                  // 2×2 cells (3 along a side of 3)
        FeatureSize = c2 * (h / pool.H) * (w / pool.W);
        Body = RegisterModule("body", new Sequential(
            new Unflatten(1, image.Channels, image.Height, image.Width),
            new Conv2d(image.Channels, c1, 5, rng, padding: 2), new ReLU(), new MaxPool2d(2),
            new Conv2d(c1, c2, 5, rng), new ReLU(), new MaxPool2d(2)));
        FeatureTap = RegisterModule("tap", new Sequential(new AvgPool2d(pool), new Flatten()));
        Head = RegisterModule("head", new Sequential(
            new Flatten(),
            new Linear(c2 * h * w, recipe.Hidden, rng), new ReLU(),
            new Dropout(new Rng(recipe.Seed ^ 0xD209UL), recipe.Dropout),
            new Linear(recipe.Hidden, classes, rng)));
    }

    /// <summary>The classes of a labelled training split: its class names' count.</summary>
    public static int ClassesOf(ImageSet train) => train.ClassNames.Count;

    // x: (B, C·H·W) → logits (B, classes)
    public Variable Forward(Variable x) => Head.Forward(Body.Forward(x));

    /// <summary>Trains on <paramref name="train"/> with Adam on the shared <see cref="TrainingLoop"/>.</summary>
    public IReadOnlyList<EpochResult> Fit(ImageSet train, Action<EpochResult>? onEpoch = null)
    {
        var adam = new Adam(Parameters(), Recipe.LearningRate);
        var loop = new TrainingLoop(new LoopOptions(Recipe.Epochs, Recipe.BatchSize, Recipe.Seed)) { OnEpoch = onEpoch };
        var shifts = new Rng(Recipe.Seed ^ 0x5A1F7UL);
        Train();
        return loop.Fit(train.Count, (indices, _) =>
        {
            using (TensorPool.Scope())
            {
                var x = ImageShift.Batch(train, indices, Recipe.MaxShift, shifts);
                var labels = indices.Select(i => (int)train.Labels[i]).ToArray();
                adam.ZeroGrad();
                var loss = Losses.CrossEntropy(Forward(x), labels);
                double value = loss.Item();
                if (!double.IsFinite(value)) return StepResult.Of(("cross_entropy", value));
                loss.Backward();
                adam.Step();
                return StepResult.Of(("cross_entropy", value));
            }
        });
    }

    /// <summary>The fraction of <paramref name="split"/> classified correctly (eval mode, no graph).</summary>
    public double Accuracy(ImageSet split)
    {
        int correct = 0;
        Eval();
        using (NoGrad.Scope())
            foreach (var indices in new BatchIterator(split.Count, 500, 0, shuffle: false).Batches(0))
                using (TensorPool.Scope())
                {
                    var logits = Forward(Batches.Gather(split, indices, DType.Float32, Device.Cpu)).Data.ToArray<float>();
                    for (int b = 0; b < indices.Length; b++)
                    {
                        var row = logits.AsSpan(b * Classes, Classes);
                        if (row.IndexOf(Max(row)) == split.Labels[indices[b]]) correct++;
                    }
                }
        Train();
        return (double)correct / split.Count;
    }

    private static float Max(ReadOnlySpan<float> row)
    {
        float m = row[0];
        foreach (var v in row) m = Math.Max(m, v);
        return m;
    }

    /// <summary>Features of images: (n, C·H·W) in [0, 1] → a <c>(n, FeatureSize)</c> feature set (eval mode, no graph).</summary>
    public Metrics.FeatureSet Embed(ReadOnlySpan<float> images, int count)
    {
        int pixels = Image.Pixels;
        if (count <= 0 || images.Length != (long)count * pixels)
            throw new ArgumentException($"the feature network: {images.Length} values are not {count} images of {Image} ({pixels} values each)");
        int dim = FeatureSize;
        var features = new float[count * dim];
        Eval();
        using (NoGrad.Scope())
            for (int start = 0; start < count; start += 500)
                using (TensorPool.Scope())
                {
                    int n = Math.Min(500, count - start);
                    var x = Tensor.FromArray(images.Slice(start * pixels, n * pixels).ToArray(), n, pixels);
                    FeatureTap.Forward(Body.Forward(x)).Data.ToArray<float>().CopyTo(features, start * dim);
                }
        Train();
        return Metrics.FeatureSet.FromFloats(features, count);
    }
}
