using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Experiments.Evaluation;

/// <summary>The codes a model gives a set of images: what `scratch encode` writes and the latent scatter plots.</summary>
public static class Codes
{
    /// <summary>
    /// Every image's code, batch after batch in eval mode: (N, Latent) floats. A VAE's code is its
    /// posterior mean μ (the deterministic summary; a draw would change from run to run).
    /// </summary>
    /// <exception cref="ArgumentException">A code is not finite (the model diverged or was damaged); the message names the image.</exception>
    public static float[] Encode(Autoencoder model, ImageSet images, Device? device = null, int batchSize = 500)
    {
        int latent = model.Config.LatentSize;
        var codes = new float[images.Count * latent];
        model.Eval();
        int start = 0;
        foreach (var indices in new BatchIterator(images.Count, batchSize, seed: 0, shuffle: false).Batches(0))
            using (TensorPool.IsActive ? null : TensorPool.Scope())
            using (NoGrad.Scope())
            {
                var x = Batches.Gather(images, indices, model.Config.DType, device ?? Device.Cpu);   // (b, P)
                var z = model.Encode(x).Data.To(Device.Cpu).To(DType.Float32).Contiguous();           // (b, L)
                z.AsSpan<float>().CopyTo(codes.AsSpan(start * latent));
                start += indices.Length;
            }
        model.Train();
        int bad = Array.FindIndex(codes, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException($"the {model.Kind} model's code of image {bad / latent} is {codes[bad]} in dimension {bad % latent}: its outputs are not finite, so nothing is written");
        return codes;
    }
}
