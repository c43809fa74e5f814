using System.Diagnostics;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Robustness;

/// <summary>The three models' sizes and recipe, the seeds, and what is measured on each.</summary>
public sealed record RobustnessRecipe
{
    /// <summary>Sizes, ρ and β; Kind is set per model. Default: the authors' ColorMnist MLP, 200-200-200-200 with a 64-wide code, ρ 0.975.</summary>
    public ModelSpec Spec { get; init; } = new() { Config = new AutoencoderConfig { HiddenSizes = [200, 200, 200, 200], LatentSize = 64 } };
    /// <summary>Training of the VAE and the AVAE (the seed is replaced by each of <see cref="Seeds"/>); TrainLimit and TestLimit take the first images of each split.</summary>
    public TrainOptions Options { get; init; } = new() { BatchSize = 64 };
    /// <summary>Epochs of the post-processing (encoder only, on the VAE's own samples).</summary>
    public int PostEpochs { get; init; } = 10;
    /// <summary>One VAE, AVAE and post-processed VAE per seed.</summary>
    public IReadOnlyList<ulong> Seeds { get; init; } = [1, 2, 3];
    /// <summary>What each model is put through.</summary>
    public MeasureSettings Measure { get; init; } = new();
}

/// <summary>A model as it finished training: its trainer (model, optimizer, history) and the wall-clock time it took.</summary>
public sealed record TrainedModel(string Name, ulong Seed, Trainer Trainer, TimeSpan Time);

/// <summary>
/// The AVAE paper's comparison (Cemgil et al., NeurIPS 2020), per seed: a VAE, an AVAE trained from
/// scratch on the same data and sizes, and the AVAE as a post-processing of that VAE (its weights,
/// the encoder trained for self-consistency on the decoder's own samples, no training image) —
/// each then measured by <see cref="RepresentationRobustness.Measure"/>. The paper's fourth model,
/// the baseline trained for robustness (its abstract: "a baseline that is specifically trained for
/// the desired property"), is not built: its recipe could not be read for this work.
/// </summary>
public static class RobustnessExperiment
{
    /// <summary>The rows of the table, in order.</summary>
    public static readonly string[] Models = ["vae", "avae", "avae-post"];

    /// <summary>
    /// Trains and measures every model of every seed, in seed order; <paramref name="onTrained"/>
    /// hears of each model as it finishes training (to save its checkpoint), <paramref name="log"/>
    /// of each step of the work.
    /// </summary>
    /// <exception cref="ArgumentException">The recipe is invalid, or the data has no labels.</exception>
    public static IReadOnlyList<ModelMeasurement> Run(ImageDataset data, RobustnessRecipe recipe, Action<string>? log = null, Action<TrainedModel>? onTrained = null)
    {
        recipe.Options.Validate();
        recipe.Measure.Validate();
        recipe.Spec.Config.Validate();
        if (recipe.Seeds.Count == 0) throw new ArgumentException("robustness: no seeds");
        if (recipe.PostEpochs < 0) throw new ArgumentException($"robustness: {recipe.PostEpochs} post-processing epochs");
        if (!data.IsLabelled) throw new ArgumentException($"robustness: the images of {data.Source} have no labels; the probe of the robustness curves needs them");
        var train = data.Train.Take(recipe.Options.TrainLimit);
        var test = data.Test.Take(recipe.Options.TestLimit);
        var results = new List<ModelMeasurement>();
        foreach (ulong seed in recipe.Seeds)
        {
            var options = recipe.Options with { Seed = seed };
            var vae = Train("vae", seed, ModelFactory.Create(recipe.Spec with { Kind = "vae" }, new Rng(seed)), options, train, test, log);
            var avae = Train("avae", seed, ModelFactory.Create(recipe.Spec with { Kind = "avae" }, new Rng(seed)), options, train, test, log);
            // The post-processing start of `train --model avae --from`: a copy of the VAE's weights whose
            // trainable parameters are its encoder's; the VAE itself is left as it is.
            var start = AutoencodingVae.PostProcess((VariationalAutoencoder)vae.Trainer.Model, recipe.Spec.Rho, recipe.Spec.Beta, recipe.Spec.WarmupEpochs);
            var post = Train("avae-post", seed, start, options with { Epochs = recipe.PostEpochs }, train, test, log);
            foreach (var trained in new[] { vae, avae, post })
            {
                onTrained?.Invoke(trained);
                var measured = RepresentationRobustness.Measure(trained.Name, seed, (VariationalAutoencoder)trained.Trainer.Model, train, test, recipe.Measure, trained.Time, log);
                log?.Invoke(FormattableString.Invariant(
                    $"{trained.Name} seed {seed}: RE {measured.ReconstructionError:F5}, -ELBO {measured.NegativeElbo:F2}, {measured.ActiveUnits} active units, self-consistency mse {measured.Consistency.MeanSquaredError:F4} (R² {measured.Consistency.ExplainedVariance:F3}; active {measured.Consistency.ActiveExplainedVariance:F3}; data chain {measured.ChainConsistency:F3}), clean accuracy {measured.CleanAccuracy:F4}; trained in {trained.Time.TotalSeconds:F1} s, measured in {measured.MeasuringTime.TotalSeconds:F1} s"));
                results.Add(measured);
            }
        }
        return results;
    }

    private static TrainedModel Train(string name, ulong seed, Autoencoder model, TrainOptions options, ImageSet train, ImageSet test, Action<string>? log)
    {
        var clock = Stopwatch.StartNew();
        model.To(options.Device);
        var trainer = new Trainer(model, Optimization.CreateOptimizer(options, model.TrainableParameters()), options);
        trainer.Fit(train, test, onEpoch: r =>
        {
            if (r.Epoch == options.Epochs || r.Epoch % 10 == 0)
                log?.Invoke(FormattableString.Invariant($"{name} seed {seed} epoch {r.Epoch}/{options.Epochs}: train {r.TrainLoss:F3}, test {r.TestLoss:F3}"));
        });
        return new TrainedModel(name, seed, trainer, clock.Elapsed);
    }
}
