using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Metrics;

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
        for (int start = 0; start < split.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, split.Count - start);
            var x = Tensor.FromArray(split.Images[(start * pixels)..((start + n) * pixels)], n, pixels)
                .To(model.Config.DType).To(device ?? Device.Cpu);
            var y = model.Reconstruct(x).To(Device.Cpu).To(DType.Float32).ToArray<float>();
            y.CopyTo(output, start * pixels);
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
