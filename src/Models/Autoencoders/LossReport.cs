using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// A training loss and its terms, each per sample (summed over pixels and units, averaged over
/// the batch) — reported apart so that, e.g., a KL term collapsing to zero is seen when it happens.
/// </summary>
public sealed class LossReport(Variable total, IReadOnlyList<(string Name, double Value)> terms)
{
    /// <summary>What is differentiated.</summary>
    public Variable Total { get; } = total;

    /// <summary>The named parts, e.g. ("reconstruction", 98.2), ("kl", 25.7).</summary>
    public IReadOnlyList<(string Name, double Value)> Terms { get; } = terms;

    /// <summary>The total as a number: the loss per sample the loop reports.</summary>
    public double Value => Total.Item();
}

/// <summary>What a loss may depend on besides the batch: the RNG for noise and sampling, and training progress.</summary>
public sealed class TrainingContext(Rng rng)
{
    /// <summary>Draws the denoising corruption and the VAE's ε; owned by the trainer and saved in its checkpoint.</summary>
    public Rng Rng { get; } = rng;

    /// <summary>Epochs completed so far plus the fraction of the current one (0 at the start).</summary>
    public double EpochProgress { get; set; }
}
