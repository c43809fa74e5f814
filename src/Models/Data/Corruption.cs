namespace Scratch.Models.Data;

/// <summary>
/// Input corruptions for the denoising autoencoder (Vincent et al. 2008/2010): the model sees
/// corrupt(x) and is trained to reconstruct the clean x. Both work over a flat batch of pixels
/// (B·H·W floats); the clean input is never modified.
/// </summary>
public static class Corruption
{
    /// <summary>
    /// noisy = clean + σ·ε, ε ~ N(0, 1) per pixel; with <paramref name="clip"/> the result is
    /// clamped to [0, 1] so it stays a valid image (and a valid BCE target range).
    /// </summary>
    public static void AddGaussianNoise(ReadOnlySpan<float> clean, Span<float> noisy, double sigma, DataRng rng, bool clip = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckLengths(clean, noisy, nameof(AddGaussianNoise));
        if (!(sigma >= 0) || double.IsInfinity(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Gaussian noise σ must be finite and ≥ 0");

        // Box–Muller yields samples in pairs; both are used, the last pair's second one is
        // dropped when the length is odd.
        for (int i = 0; i < clean.Length; i += 2)
        {
            var (z0, z1) = rng.NextGaussianPair();
            noisy[i] = Noisy(clean[i], sigma * z0, clip);
            if (i + 1 < clean.Length)
                noisy[i + 1] = Noisy(clean[i + 1], sigma * z1, clip);
        }
    }

    /// <summary>
    /// Masking noise: each pixel is set to 0 with probability <paramref name="fraction"/>
    /// (independently), otherwise copied.
    /// </summary>
    public static void Mask(ReadOnlySpan<float> clean, Span<float> masked, double fraction, DataRng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckLengths(clean, masked, nameof(Mask));
        if (!(fraction >= 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "masking fraction ν must be in [0, 1]");

        for (int i = 0; i < clean.Length; i++)
            masked[i] = rng.NextDouble() < fraction ? 0f : clean[i];
    }

    private static float Noisy(float x, double noise, bool clip)
    {
        double v = x + noise;
        return (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
    }

    private static void CheckLengths(ReadOnlySpan<float> clean, Span<float> output, string op)
    {
        if (clean.Length != output.Length)
            throw new ArgumentException($"Corruption.{op}: input has {clean.Length} values but output has {output.Length}");
    }
}
