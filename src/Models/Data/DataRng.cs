using System.Numerics;

namespace Scratch.Models.Data;

/// <summary>
/// The data pipeline's random numbers (shuffling, corruption noise): xoshiro256** by Blackman
/// and Vigna, seeded through SplitMix64 as its authors recommend. Integer arithmetic only, so a
/// seed gives the same stream on every machine and runtime — unlike System.Random, whose
/// algorithm is not part of its contract.
/// </summary>
/// <remarks>
/// It lives here, apart from the tensor RNG, so the data layer needs nothing above plain arrays.
/// Reference: https://prng.di.unimi.it/xoshiro256starstar.c and splitmix64.c.
/// </remarks>
public sealed class DataRng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose 256-bit state is four SplitMix64 outputs from <paramref name="seed"/>.</summary>
    public DataRng(ulong seed)
    {
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>
    /// An independent stream for (seed, stream), e.g. one per epoch: the pair is hashed, not
    /// added, because seeds s and s+1 of SplitMix64 give overlapping sequences.
    /// </summary>
    public static DataRng ForStream(ulong seed, ulong stream) => new(Mix64(seed ^ Mix64(stream + 0x9E3779B97F4A7C15UL)));

    /// <summary>Restores a generator from <see cref="GetState"/> (e.g. saved in a checkpoint).</summary>
    public static DataRng FromState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4)
            throw new ArgumentException($"DataRng state has 4 words, got {state.Length}", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("DataRng state is all zero, which xoshiro256** never leaves", nameof(state));
        var rng = new DataRng(0);
        (rng._s0, rng._s1, rng._s2, rng._s3) = (state[0], state[1], state[2], state[3]);
        return rng;
    }

    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Uniform integer in [0, exclusiveMax) without modulo bias (Lemire's multiply-and-reject),
    /// so every permutation of a shuffle is equally likely.
    /// </summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0)
            throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "must be positive");
        ulong range = (ulong)exclusiveMax;
        ulong product = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
                product = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)product;
    }

    /// <summary>
    /// Two independent N(0, 1) samples by Box–Muller. u1 is taken in (0, 1] so log(u1) is finite.
    /// </summary>
    public (double Z0, double Z1) NextGaussianPair()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        return (radius * cos, radius * sin);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix64(state);
    }

    // SplitMix64's output function: a bijective avalanche of 64 bits.
    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
