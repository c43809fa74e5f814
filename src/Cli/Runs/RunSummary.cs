using Scratch.Autograd;
using Scratch.Cli.Pictures;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;
using Scratch.Experiments.Metrics;
using Scratch.Models.Training;

namespace Scratch.Cli.Runs;

/// <summary>Test codes of a 2-D latent space with their labels, for the report's scatter plot.</summary>
public sealed record LatentCodes(float[] Codes, int[] Labels); // Codes: (N, 2)

/// <summary>
/// Everything the tables and the report show about one trained model: its scores on the test
/// split (from clean inputs, and as a denoiser of Corruption.Benchmark's noisy ones), its loss history, its pictures and, for a 2-D code, where the test digits land.
/// </summary>
public sealed record RunSummary(
    string Name,
    ModelSpec Spec,
    TrainOptions Options,
    IReadOnlyList<EpochResult> History,
    ReconstructionScores Scores,
    ReconstructionScores Denoised,
    double TestLoss,
    TimeSpan? TrainingTime,
    IReadOnlyList<Picture> Pictures,
    LatentCodes? Codes)
{
    /// <summary>
    /// Scores and draws <paramref name="model"/> on the test split (cut to the recipe's test
    /// limit). The test loss is the last epoch's when there is one, else it is computed.
    /// </summary>
    public static RunSummary Build(string name, Autoencoder model, TrainOptions options, IReadOnlyList<EpochResult> history, ImageSet fullTest,
        ReconstructionScores? scores = null, double? testLoss = null, TimeSpan? trainingTime = null, ReconstructionScores? denoised = null)
    {
        var test = fullTest.Take(options.TestLimit);
        var device = model.Parameters().First().Data.Device;
        var s = scores ?? Reconstruction.Score(model, test, device);
        var d = denoised ?? Reconstruction.ScoreDenoising(model, test, device);
        double loss = testLoss ?? (history.Count > 0 ? history[^1].TestLoss : Loss(model, options, test));
        var time = trainingTime ?? (history.Count > 0 ? TimeSpan.FromTicks(history.Sum(h => h.Duration.Ticks)) : null);
        var codes = model.Config.LatentSize == 2 ? EncodeTest(model, test) : null;
        return new RunSummary(name, ModelCheckpoint.SpecOf(model), options, history, s, d, loss, time, ModelPictures.All(model, test, options.Seed), codes);
    }

    /// <summary>The model's loss per sample on a split, as the trainer measures it after each epoch.</summary>
    public static (double Loss, IReadOnlyList<(string Name, double Value)> Terms) Evaluate(Autoencoder model, TrainOptions options, ImageSet split, int epoch)
    {
        // The loop's own evaluation, so the numbers match the training log.
        var result = AutoencoderEvaluation.Loss(model, split, options, epoch);
        model.Train();
        return result;
    }

    private static double Loss(Autoencoder model, TrainOptions options, ImageSet test) => Evaluate(model, options, test, 0).Loss;

    // Codes of up to 2,000 test digits: (N, 2).
    private static LatentCodes EncodeTest(Autoencoder model, ImageSet test)
    {
        int n = Math.Min(test.Count, 2000);
        var x = Tensor.FromArray(test.ToFloats(0, n), n, test.PixelsPerImage)
            .To(model.Config.DType).To(model.Parameters().First().Data.Device);
        model.Eval();
        float[] z;
        using (NoGrad.Scope())
            z = model.Encode(x).Data.To(Device.Cpu).To(DType.Float32).Contiguous().ToArray<float>();
        model.Train();
        return new LatentCodes(z, test.Labels[..n]);
    }
}
