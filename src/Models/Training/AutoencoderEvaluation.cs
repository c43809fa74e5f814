using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;

namespace Scratch.Models.Training;

/// <summary>An autoencoder's training objective measured on a split: what the loop records after each epoch, and what eval reports.</summary>
public static class AutoencoderEvaluation
{
    /// <summary>
    /// The loss on <paramref name="split"/>, per sample, with its terms, in eval mode and without a
    /// graph; the model is left in eval mode. Its noise (a VAE's sampling, a denoiser's corruption)
    /// comes from a stream of its own per epoch, so evaluating never shifts the training RNG and a
    /// resumed run stays exact.
    /// </summary>
    public static (double Loss, IReadOnlyList<(string Name, double Value)> Terms) Loss(Autoencoder model, ImageSet split, TrainOptions options, int epoch)
    {
        model.Eval();
        var context = new TrainingContext(new Rng(options.Seed * 7919 + (ulong)epoch)) { EpochProgress = epoch };
        var sums = new TermSums();
        using (NoGrad.Scope())
            foreach (var indices in new BatchIterator(split.Count, Math.Max(options.BatchSize, 500), options.Seed, shuffle: false).Batches(0))
                // A scope per batch: the batch's tensors go back to the pool, and on a GPU its device
                // buffers are reused at once instead of waiting for the garbage collector, which does not
                // see device memory filling up.
                using (TensorPool.IsActive ? null : TensorPool.Scope())
                {
                    var loss = model.ComputeLoss(Batches.Gather(split, indices, model.Config.DType, options.Device), context);
                    sums.Add(loss.Value, loss.Terms, indices.Length);
                }
        return (sums.Mean, sums.Means);
    }
}
