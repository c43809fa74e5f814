namespace Scratch.Autograd;

public static partial class Losses
{
    /// <summary>
    /// KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − ln σ² − 1), from μ and ln σ² (summed over every
    /// element; divide by the batch for a per-sample value). Fused: dμ = μ·dy, d ln σ² = ½(σ² − 1)·dy.
    /// </summary>
    /// <exception cref="ArgumentException">mu and logVar differ in shape.</exception>
    public static Variable KlStandardNormal(Variable mu, Variable logVar)
    {
        if (!Shapes.SameShape(mu.Shape, logVar.Shape))
            throw new ArgumentException($"kl: mu {Shapes.Format(mu.Shape)} and logvar {Shapes.Format(logVar.Shape)} differ in shape");
        var variance = logVar.Data.Exp();
        var kl = (mu.Data.Square() + variance - logVar.Data - 1.0).Sum() * 0.5;
        return Record.Op("kl", kl, [mu, logVar], dy => [Upstream(mu.Data, 1.0, dy), Upstream(variance - 1.0, 0.5, dy)]);
    }

    /// <summary>
    /// The reparameterization trick, z = μ + e^(½ ln σ²)·ε with ε ~ N(0, I) drawn from the engine's
    /// RNG: the sample becomes a differentiable function of μ and ln σ².
    /// </summary>
    /// <exception cref="ArgumentException">mu and logVar differ in shape.</exception>
    public static Variable Reparameterize(Variable mu, Variable logVar, Rng rng) =>
        Reparameterize(mu, logVar, Tensor.Randn(mu.ShapeArray, rng, mu.DType, mu.Device));

    /// <summary>The same with a given ε (for tests and gradient checks). dμ = dz, d ln σ² = dz·ε·½σ.</summary>
    /// <exception cref="ArgumentException">mu, logVar and epsilon do not share one shape.</exception>
    public static Variable Reparameterize(Variable mu, Variable logVar, Tensor epsilon)
    {
        if (!Shapes.SameShape(mu.Shape, logVar.Shape) || !Shapes.SameShape(mu.Shape, epsilon.Shape))
            throw new ArgumentException($"reparameterize: mu {Shapes.Format(mu.Shape)}, logvar {Shapes.Format(logVar.Shape)} and epsilon {Shapes.Format(epsilon.Shape)} must have one shape");
        var std = (logVar.Data * 0.5).Exp();
        var noise = std * epsilon;
        var z = mu.Data + noise;
        return Record.Op("reparameterize", z, [mu, logVar], dz => [dz, dz * noise * 0.5]);
    }
}
