using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Experiments.Metrics;
using Scratch.Models.Training;

namespace Scratch.Experiments.Evaluation;

/// <summary>
/// Reconstructs a split with a model and scores it: RE, PSNR, SSIM per image, averaged — from the
/// clean inputs, and as a denoiser: from corrupted inputs, against the clean images.
/// </summary>
public static class Reconstruction
{
    /// <summary>Seed of the benchmark noise: the same damaged digits for every model and every run.</summary>
    public const ulong NoiseSeed = 2004;

    /// <summary>
    /// All reconstructions of a split as (N, P) floats in [0, 1]; with <paramref name="corruption"/>,
    /// of the corrupted inputs (drawn batch after batch from one RNG seeded with <paramref name="seed"/>).
    /// </summary>
    public static float[] Reconstruct(Autoencoder model, ImageSet split, Device? device = null, int batchSize = 500,
        Corruption? corruption = null, ulong seed = NoiseSeed)
    {
        var rng = new Rng(seed);
        model.Eval();
        int pixels = split.PixelsPerImage;
        var output = new float[split.Count * pixels];
        int start = 0;
        foreach (var indices in new BatchIterator(split.Count, batchSize, seed: 0, shuffle: false).Batches(0))
            // A pool scope per batch, as in Trainer.Evaluate: the batch and its activations are reused.
            using (TensorPool.IsActive ? null : TensorPool.Scope())
            {
                var x = Batches.Gather(split, indices, model.Config.DType, device ?? Device.Cpu);
                if (corruption is not null) x = corruption.Apply(x, rng);
                var y = model.Reconstruct(x).To(Device.Cpu).To(DType.Float32).Contiguous();
                y.AsSpan<float>().CopyTo(output.AsSpan(start * pixels));
                start += indices.Length;
            }
        model.Train();
        // A model whose outputs are not finite has diverged or was damaged: no score or picture is made of NaN.
        int bad = Array.FindIndex(output, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException($"the {model.Kind} model's reconstruction of image {bad / pixels} is {output[bad]} at pixel {bad % pixels}: its outputs are not finite, so nothing is scored or drawn");
        return output;
    }

    public static ReconstructionScores Score(Autoencoder model, ImageSet split, Device? device = null)
    {
        var reconstructed = Reconstruct(model, split, device);
        return ReconstructionScores.Evaluate(split.ToFloats(), reconstructed, split.Count, split.Shape);
    }

    /// <summary>
    /// The model as a denoiser: reconstructions of corrupted inputs (default: <see cref="Corruption.Benchmark"/>)
    /// scored against the clean images. Every model gets the same damaged digits, so the scores compare.
    /// </summary>
    public static ReconstructionScores ScoreDenoising(Autoencoder model, ImageSet split, Device? device = null, Corruption? corruption = null)
    {
        var reconstructed = Reconstruct(model, split, device, corruption: corruption ?? Corruption.Benchmark);
        return ReconstructionScores.Evaluate(split.ToFloats(), reconstructed, split.Count, split.Shape);
    }
}
