using Scratch.Autograd;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// A training loss and its terms, each per sample (summed over pixels and units, averaged over
/// the batch) — reported apart so that, e.g., a KL term collapsing to zero is seen when it happens.
/// </summary>
/// <remarks>
/// The numbers are read from the device once, together (<see cref="Training.Scalars.ReadTogether"/>),
/// the first time <see cref="Value"/> or <see cref="Terms"/> is asked for: on a GPU each read waits
/// for the device, so a step that asked for each term apart would stall once per term. Ask inside
/// the tensor-pool scope the loss was computed in (the trainer does, before the backward pass).
/// </remarks>
public sealed class LossReport(Variable total, IReadOnlyList<(string Name, Variable Term)> terms)
{
    private (double Value, (string Name, double Value)[] Terms)? _read;

    /// <summary>What is differentiated.</summary>
    public Variable Total { get; } = total;

    /// <summary>The named parts, e.g. ("reconstruction", 98.2), ("kl", 25.7).</summary>
    public IReadOnlyList<(string Name, double Value)> Terms => Read().Terms;

    /// <summary>The total as a number: the loss per sample the loop reports.</summary>
    public double Value => Read().Value;

    // [total, term 0, term 1, …] gathered on the device, then one device-to-host copy.
    private (double Value, (string Name, double Value)[] Terms) Read()
    {
        if (_read is { } done) return done;
        var values = Training.Scalars.ReadTogether([Total.Data, .. terms.Select(t => t.Term.Data)]);   // [total, terms…]
        var read = (values[0], terms.Select((t, i) => (t.Name, values[i + 1])).ToArray());
        _read = read;
        return read;
    }
}

/// <summary>What a loss may depend on besides the batch: the RNG for noise and sampling, and training progress.</summary>
public sealed class TrainingContext(Rng rng)
{
    /// <summary>Draws the denoising corruption and the VAE's ε; owned by the trainer and saved in its checkpoint.</summary>
    public Rng Rng { get; } = rng;

    /// <summary>Epochs completed so far plus the fraction of the current one (0 at the start).</summary>
    public double EpochProgress { get; set; }
}
