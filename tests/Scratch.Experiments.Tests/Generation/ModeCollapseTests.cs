using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Experiments.Generation;
using Scratch.Testing;

namespace Scratch.Experiments.Tests.Generation;

// Mode collapse shows in the table, on real digits and the experiment's own scoring path: a
// "generator" that only ever makes sevens (real training sevens, so every sample is a good digit)
// keeps its precision and loses its recall; one that makes every digit keeps both. A quality test
// (10–25 s on 2 cores: the --quick feature network is trained once into a temporary cache).
public class ModeCollapseTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    [Test]
    public void ACollapsedGenerator_KeepsPrecision_LosesRecall()
    {
        var data = Data.Value;
        var options = GenerationOptions.Quick() with { Samples = 256 };
        int n = options.Samples;
        float[] Digits(Func<int, bool> keep)
        {
            var indices = Enumerable.Range(0, data.Train.Count).Where(i => keep(data.Train.Labels[i])).Take(n).ToArray();
            Assert.That(indices, Has.Length.EqualTo(n), "enough training digits");
            return indices.SelectMany(i => data.Train.ToFloats(i, 1)).ToArray();
        }
        GenerationExperiment.Candidate Fixed(string name, float[] images) =>
            new(name, name, (_, _) => new GenerationExperiment.TrainedGenerator((count, _) => Tensor.FromArray(images[..(count * 784)], count, 784), []));

        using var cache = new TempFolder();
        var result = GenerationExperiment.Run(data, cache.Path, options,
            [Fixed("sevens only", Digits(label => label == 7)), Fixed("every digit", Digits(_ => true))]);
        var collapsed = result.Rows.Single(r => r.Model == "sevens only").Scores;
        var diverse = result.Rows.Single(r => r.Model == "every digit").Scores;
        TestContext.Out.WriteLine($"sevens only: P {collapsed.Precision:F3} R {collapsed.Recall:F3} C {collapsed.Coverage:F3}; every digit: P {diverse.Precision:F3} R {diverse.Recall:F3} C {diverse.Coverage:F3}");

        Assert.That(collapsed.Precision, Is.GreaterThan(0.6), "each collapsed sample is a real digit: precision stays");
        // One class in ten: with the --quick feature network the sevens' k-NN balls also take in some
        // nines and ones, so recall lands near 0.28 rather than 0.1 — still a third of the varied set's.
        Assert.That(diverse.Recall, Is.GreaterThan(0.6), "the same path recalls a varied set");
        Assert.That(collapsed.Recall, Is.LessThan(Math.Min(0.4, diverse.Recall / 2)), "recall falls with the collapse");
        Assert.That(collapsed.Coverage, Is.LessThan(diverse.Coverage / 2), "coverage drops with it");
    }
}
