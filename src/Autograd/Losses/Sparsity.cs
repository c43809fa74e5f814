namespace Scratch.Autograd;

public static partial class Losses
{
    /// <summary>
    /// The sparse autoencoder's penalty Σⱼ KL(ρ ‖ ρ̂ⱼ) = Σⱼ ρ ln(ρ/ρ̂ⱼ) + (1−ρ) ln((1−ρ)/(1−ρ̂ⱼ)),
    /// where ρ̂ⱼ ∈ (0, 1) is unit j's mean activation. ρ̂ is clamped to [1e-7, 1 − 1e-7] (float32
    /// sigmoids reach 0 and 1) and the gradient is that of the clamped value:
    /// dρ̂ = (−ρ/ρ̂ + (1−ρ)/(1−ρ̂))·dy.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="rho"/> is not in (0, 1).</exception>
    public static Variable BernoulliKl(double rho, Variable rhoHat)
    {
        if (!(rho > 0 && rho < 1)) throw new ArgumentException($"bernoulli kl: target activation rho {rho} is not in (0, 1)");
        const double Tiny = 1e-7;
        var p = rhoHat.Data.Clamp(Tiny, 1 - Tiny);
        var q = 1.0 - p;
        var kl = ((rho / p).Log() * rho + ((1 - rho) / q).Log() * (1 - rho)).Sum();
        return Record.Op("bernoulli kl", kl, [rhoHat], dy => [Upstream((rho / p).Neg().Add((1 - rho) / q), 1.0, dy)]);
    }

    /// <summary>L1 penalty Σ|x| (or its mean): d x = sign(x)·dy.</summary>
    public static Variable L1(Variable x, Reduction reduction = Reduction.Sum)
    {
        double scale = reduction == Reduction.Mean ? 1.0 / Math.Max(x.Data.Numel, 1) : 1.0;
        var value = Reduce(x.Data.Abs().Sum(), reduction, x.Data.Numel);
        return Record.Op("l1", value, [x], dy => [Upstream(x.Data.Sign(), scale, dy)]);
    }
}
