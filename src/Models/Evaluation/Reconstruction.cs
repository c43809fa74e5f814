using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Metrics;
using Scratch.Models.Training;

namespace Scratch.Models.Evaluation;

/// <summary>Reconstructs a split with a model and scores it: RE, PSNR, SSIM per image, averaged.</summary>
public static class Reconstruction
{
    /// <summary>All reconstructions of a split as (N, P) floats in [0, 1].</summary>
    public static float[] Reconstruct(Autoencoder model, MnistSplit split, Device? device = null, int batchSize = 500)
    {
        model.Eval();
        int pixels = split.PixelsPerImage;
        var output = new float[split.Count * pixels];
        int start = 0;
        foreach (var indices in new BatchIterator(split.Count, batchSize, seed: 0, shuffle: false).Batches(0))
            // A pool scope per batch, as in Trainer.Evaluate: the batch and its activations are reused.
            using (TensorPool.IsActive ? null : TensorPool.Scope())
            {
                var x = Batches.Gather(split, indices, model.Config.DType, device ?? Device.Cpu);
                var y = model.Reconstruct(x).To(Device.Cpu).To(DType.Float32).Contiguous();
                y.AsSpan<float>().CopyTo(output.AsSpan(start * pixels));
                start += indices.Length;
            }
        model.Train();
        return output;
    }

    public static ReconstructionScores Score(Autoencoder model, MnistSplit split, Device? device = null)
    {
        var reconstructed = Reconstruct(model, split, device);
        return ReconstructionScores.Evaluate(split.Images, reconstructed, split.Count, split.Rows, split.Cols);
    }
}
