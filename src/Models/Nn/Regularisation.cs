using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>
/// torch.nn.Dropout: while training, zero each element with probability p and scale the rest by
/// 1/(1 − p); the identity in eval. PyTorch draws from its global generator; Scratch has no global
/// state, so the layer is given the engine RNG it draws its masks from.
/// </summary>
public sealed class Dropout : Layer
{
    /// <summary>p: the probability that an element is zeroed while training (default 0.5).</summary>
    public double P { get; }
    private readonly Rng _rng;

    /// <summary>Dropout with probability <paramref name="p"/>, drawing its masks from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="p"/> is not in [0, 1].</exception>
    public Dropout(Rng rng, double p = 0.5)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"Dropout: probability {p} is not in [0, 1]");
        (_rng, P) = (rng, p);
    }

    /// <summary>Any shape → same shape: training, each element kept with probability 1 − p and scaled by 1/(1 − p); eval, x unchanged.</summary>
    public override Variable Forward(Variable x) => x.Dropout(P, IsTraining, _rng);

    /// <summary>In the style of PyTorch's repr: "Dropout(p=0.5)".</summary>
    public override string ToString() => $"Dropout(p={P})";
}

/// <summary>torch.nn.LeakyReLU: x for x &gt; 0, negative_slope·x otherwise (default slope 0.01).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Layer
{
    /// <summary>The slope for x ≤ 0 (default 0.01; 0.2 in DCGAN's discriminator).</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <summary>Any shape → same shape. After a <see cref="Linear"/> in a <see cref="Sequential"/> (slope ≥ 0) it runs fused into the GEMM.</summary>
    public override Variable Forward(Variable x) => x.LeakyRelu(NegativeSlope);

    /// <summary>In the style of PyTorch's repr: "LeakyReLU(negative_slope=0.2)".</summary>
    public override string ToString() => $"LeakyReLU(negative_slope={NegativeSlope})";
}

/// <summary>torch.nn.Flatten: merges dims start_dim..end_dim (default 1..−1): (N, C, H, W) → (N, C·H·W).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Layer
{
    /// <summary>The first dim merged (default 1, keeping the batch dim); negative counts from the end.</summary>
    public int StartDim { get; } = startDim;
    /// <summary>The last dim merged, inclusive (default −1, the last).</summary>
    public int EndDim { get; } = endDim;

    /// <summary>x with dims StartDim..EndDim merged into one, e.g. (N, 64, 7, 7) → (N, 3136); a view when x is contiguous.</summary>
    /// <exception cref="ArgumentException">A dim is out of range for x, or StartDim comes after EndDim.</exception>
    public override Variable Forward(Variable x) => x.Flatten(StartDim, EndDim);

    /// <summary>In the style of PyTorch's repr: "Flatten(start_dim=1, end_dim=-1)".</summary>
    public override string ToString() => $"Flatten(start_dim={StartDim}, end_dim={EndDim})";
}

/// <summary>torch.nn.Unflatten: splits one dim into several: Unflatten(1, [64, 7, 7]) maps (N, 3136) → (N, 64, 7, 7).</summary>
public sealed class Unflatten(int dim, params int[] unflattenedSize) : Layer
{
    /// <summary>The dim that is split; negative counts from the end.</summary>
    public int Dim { get; } = dim;
    /// <summary>The sizes it is split into; their product must equal that dim's size.</summary>
    public IReadOnlyList<int> UnflattenedSize { get; } = unflattenedSize;

    /// <summary>x with dim <see cref="Dim"/> split into <see cref="UnflattenedSize"/>; a view when x is contiguous.</summary>
    /// <exception cref="ArgumentException">Dim is out of range, or the sizes are empty, not positive, or do not multiply to that dim's size.</exception>
    public override Variable Forward(Variable x) => x.Unflatten(Dim, [.. UnflattenedSize]);

    /// <summary>In the style of PyTorch's repr: "Unflatten(dim=1, unflattened_size=(64, 7, 7))".</summary>
    public override string ToString() => $"Unflatten(dim={Dim}, unflattened_size=({string.Join(", ", UnflattenedSize)}))";
}
