namespace Scratch.Models.Checkpoints;

/// <summary>
/// Checks on the numbers a checkpoint holds, beyond its format (non-finite values are refused by
/// <see cref="Safetensors"/> itself): Adam moments that no gradient sequence can produce would make
/// the first resumed steps huge. Each refusal names the tensor, the element and the value.
/// </summary>
internal static class CheckpointSanity
{
    /// <summary>
    /// A duration written as seconds (TimeSpan.TotalSeconds), read back to the same tick. TimeSpan.FromSeconds
    /// truncates seconds·10⁷ to whole ticks, and that product can fall a hair below the tick it came from
    /// (0.4892982 s → 4892981.9999… ticks), so a checkpoint read and written again would change a digit.
    /// </summary>
    public static TimeSpan Duration(double seconds) =>
        seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    /// <summary>
    /// Adam's moments for one parameter: v is an average of squares, so never negative, and by
    /// Cauchy–Schwarz m² ≤ K·v with K = (1−β₁)²/(1−β₂) · 1/(1 − β₁²/β₂) for any gradients (β₁²&lt;β₂).
    /// A small slack absorbs float32 rounding; anything beyond it was not written by Adam.
    /// </summary>
    public static void RequireAdamMoments(MetadataReader read, string mName, string vName, Tensor m, Tensor v, double beta1, double beta2)
    {
        // m_t = (1−β₁)Σ β₁^(t−k) g_k, v_t = (1−β₂)Σ β₂^(t−k) g_k²; write β₁^j = (β₁/√β₂)^j · √β₂^j and apply Cauchy–Schwarz.
        double bound = (1 - beta1) * (1 - beta1) / (1 - beta2) / (1 - beta1 * beta1 / beta2);
        var ms = m.To(DType.Float64).Contiguous().ToArray<double>();
        var vs = v.To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < vs.Length; i++)
        {
            if (vs[i] < 0)
                throw read.Fail($"{vName} (Adam's second moment) is {vs[i]} at element {i}; a mean of squared gradients is never negative");
            if (ms[i] * ms[i] > bound * vs[i] * 1.01 + 1e-30)
                throw read.Fail($"{mName} is {ms[i]} at element {i} while {vName} is {vs[i]}: Adam keeps m² ≤ {bound:F1}·v, so these moments were not written by Adam");
        }
    }
}
