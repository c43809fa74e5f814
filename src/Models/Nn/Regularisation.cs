using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>
/// torch.nn.Dropout: while training, zero each element with probability p and scale the rest by
/// 1/(1 − p); the identity in eval. PyTorch draws from its global generator; Scratch has no global
/// state, so the layer is given the engine RNG it draws its masks from.
/// </summary>
public sealed class Dropout : Layer
{
    public double P { get; }
    private readonly Rng _rng;

    public Dropout(Rng rng, double p = 0.5)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"Dropout: probability {p} is not in [0, 1]");
        (_rng, P) = (rng, p);
    }

    public override Variable Forward(Variable x) => x.Dropout(P, IsTraining, _rng);

    public override string ToString() => $"Dropout(p={P})";
}

/// <summary>torch.nn.LeakyReLU: x for x &gt; 0, negative_slope·x otherwise (default slope 0.01).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Layer
{
    public double NegativeSlope { get; } = negativeSlope;

    public override Variable Forward(Variable x) => x.LeakyRelu(NegativeSlope);

    public override string ToString() => $"LeakyReLU(negative_slope={NegativeSlope})";
}

/// <summary>torch.nn.Flatten: merges dims start_dim..end_dim (default 1..−1): (N, C, H, W) → (N, C·H·W).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Layer
{
    public int StartDim { get; } = startDim;
    public int EndDim { get; } = endDim;

    public override Variable Forward(Variable x) => x.Flatten(StartDim, EndDim);

    public override string ToString() => $"Flatten(start_dim={StartDim}, end_dim={EndDim})";
}

/// <summary>torch.nn.Unflatten: splits one dim into several: Unflatten(1, [64, 7, 7]) maps (N, 3136) → (N, 64, 7, 7).</summary>
public sealed class Unflatten(int dim, params int[] unflattenedSize) : Layer
{
    public int Dim { get; } = dim;
    public IReadOnlyList<int> UnflattenedSize { get; } = unflattenedSize;

    public override Variable Forward(Variable x) => x.Unflatten(Dim, [.. UnflattenedSize]);

    public override string ToString() => $"Unflatten(dim={Dim}, unflattened_size=({string.Join(", ", UnflattenedSize)}))";
}
