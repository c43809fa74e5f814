using System.Numerics;

namespace Scratch.Kernels.Tests;

/// <summary>
/// Inputs and comparisons shared by the elementwise, reduction and fused kernel tests.
/// Lengths 0..257 make every SIMD path run: below one Vector256, between 256 and 512 bits, many
/// full vectors, and every possible tail length for both float (16 lanes) and double (8 lanes).
/// </summary>
internal static class ElementwiseTestData
{
    public const int MaxLength = 257;

    public static readonly double[] Specials =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1.0, -1.0];

    /// <summary>
    /// n values: most uniform in [-range, range], some tiny (|x| ≤ 1e-3 · range), and every 7th a
    /// special value (NaN, ±Inf, ±0, ±1) when withSpecials. positiveOnly flips the sign of non-specials.
    /// </summary>
    public static T[] Values<T>(int n, int seed, double range, bool withSpecials = true, bool positiveOnly = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed * 7919 + n);
        var x = new T[n];
        for (int i = 0; i < n; i++)
        {
            double v = (rng.NextDouble() * 2 - 1) * range;
            if (i % 5 == 2) v *= 1e-3;
            if (positiveOnly) v = Math.Abs(v);
            if (withSpecials && i % 7 == 3) v = Specials[(i / 7 + seed) % Specials.Length];
            x[i] = T.CreateTruncating(v);
        }
        return x;
    }

    /// <summary>Distance in units in the last place; 0 when both are NaN or equal (so +0 and -0 are 0 apart).</summary>
    public static long Ulps<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(a) && T.IsNaN(b)) return 0;
        if (T.IsNaN(a) || T.IsNaN(b)) return long.MaxValue;
        if (a == b) return 0;
        if (T.IsInfinity(a) || T.IsInfinity(b)) return long.MaxValue;
        long ia, ib;
        if (typeof(T) == typeof(float))
        {
            ia = Ordered(BitConverter.SingleToInt32Bits(float.CreateTruncating(a)));
            ib = Ordered(BitConverter.SingleToInt32Bits(float.CreateTruncating(b)));
        }
        else
        {
            ia = Ordered(BitConverter.DoubleToInt64Bits(double.CreateTruncating(a)));
            ib = Ordered(BitConverter.DoubleToInt64Bits(double.CreateTruncating(b)));
        }
        return Math.Abs(ia - ib);

        // Maps the sign-magnitude bit pattern to an integer line on which neighbours differ by 1.
        static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;
    }

    /// <summary>Bitwise equal, except that any NaN equals any NaN (payloads are not part of any contract).</summary>
    public static bool SameBits<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(a) || T.IsNaN(b)) return T.IsNaN(a) && T.IsNaN(b);
        if (typeof(T) == typeof(float))
            return BitConverter.SingleToInt32Bits(float.CreateTruncating(a)) == BitConverter.SingleToInt32Bits(float.CreateTruncating(b));
        return BitConverter.DoubleToInt64Bits(double.CreateTruncating(a)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(b));
    }

    /// <summary>Fails with the first differing index when actual and expected are not bitwise equal.</summary>
    public static void AssertBitwiseEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
            if (!SameBits(expected[i], actual[i]))
                Assert.Fail($"{what}: index {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    /// <summary>Fails when any element is more than maxUlps from expected; returns the largest distance seen.</summary>
    public static long AssertWithinUlps<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, long maxUlps, string what, ReadOnlySpan<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            long d = Ulps(expected[i], actual[i]);
            if (d > maxUlps)
                Assert.Fail($"{what}: x[{i}] = {input[i]:R}: expected {expected[i]:R}, got {actual[i]:R} ({d} ulps > {maxUlps})");
            worst = Math.Max(worst, d);
        }
        return worst;
    }
}
