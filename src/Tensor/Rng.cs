namespace Scratch;

/// <summary>
/// The engine's random numbers: xoshiro256** (Blackman &amp; Vigna) seeded through SplitMix64, and
/// normal samples by the Box–Muller transform. Plain integer arithmetic, one stream, filled in
/// order — so a seed gives the same numbers on every machine, runtime and thread count.
/// Bulk normals (<see cref="FillNormal{T}"/>, Tensor.Randn) come from a counter-based generator
/// keyed by two draws of this stream, so they can be made in parallel and on a GPU.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    // Box–Muller makes normals in pairs; the second waits here for the next call.
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>
    /// A generator whose whole sequence is fixed by <paramref name="seed"/>; any value, 0 included, is a
    /// valid seed. For several independent streams from one seed use <see cref="ForStream"/>.
    /// </summary>
    public Rng(ulong seed)
    {
        // SplitMix64 spreads any seed (even 0) over the 256-bit state, which must not be all zero.
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// An independent stream for (seed, stream), e.g. one per epoch: the pair is hashed, not added,
    /// because SplitMix64 seeded with s and s + 1 gives overlapping sequences.
    /// </summary>
    public static Rng ForStream(ulong seed, ulong stream) => new(Mix64(seed ^ Mix64(stream + 0x9E3779B97F4A7C15UL)));

    private static ulong SplitMix64(ref ulong x) => Mix64(x += 0x9E3779B97F4A7C15UL);

    // SplitMix64's output function: a bijective avalanche of 64 bits.
    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 uniformly random bits (one xoshiro256** step); every other draw is built on it.</summary>
    public ulong NextUInt64() => Next(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "NextInt: n must be positive");
        ulong range = (ulong)n;
        while (true)
        {
            UInt128 product = (UInt128)NextUInt64() * range;
            ulong low = (ulong)product;
            if (low >= range || low >= (0UL - range) % range) return (int)(product >> 64);
        }
    }

    /// <summary>A standard normal sample (Box–Muller, double precision).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        // 1 − u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spareNormal = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }

    // ---- bulk draws: the same numbers as calling NextDouble / NextNormal once per element, but with
    // the state held in registers for the whole loop (and no delegate per element) ----

    /// <summary>values[i] = low + (high − low)·u, u uniform in [0, 1).</summary>
    public void FillUniform<T>(Span<T> values, double low, double high) where T : unmanaged, System.Numerics.IFloatingPoint<T>
    {
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        double width = high - low;
        for (int i = 0; i < values.Length; i++)
            values[i] = T.CreateTruncating(low + width * ((Next(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 53))));
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>values[i] = 1 with probability p, else 0.</summary>
    public void FillBernoulli<T>(Span<T> values, double p) where T : unmanaged, System.Numerics.IFloatingPoint<T>
    {
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        for (int i = 0; i < values.Length; i++)
            values[i] = (Next(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 53)) < p ? T.One : T.Zero;
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>
    /// Standard normal samples in bulk: not the scalar Box–Muller above but the engine's counter-based
    /// sampler (Philox4x32-10, vectorized and threaded: Kernels/Cpu/Random), keyed by
    /// <see cref="NextCounterKey"/> — two draws of this Rng whatever the length, so a seed still fixes
    /// the samples, and NextNormal's spare is left alone.
    /// </summary>
    public void FillNormal<T>(Span<T> values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (key, stream) = NextCounterKey();
        Kernels.Cpu.CpuKernels.FillNormal(values, key, stream);
    }

    /// <summary>A key and stream for the counter-based generator (what a bulk normal draw consumes).</summary>
    public (ulong Key, ulong Stream) NextCounterKey() => (NextUInt64(), NextUInt64());

    // One xoshiro256** step on a state held in locals.
    private static ulong Next(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>The full state, for checkpoints: resuming from it continues the same stream.</summary>
    /// <exception cref="ArgumentException">Setting a state whose four words are all zero (xoshiro would then return zeros forever).</exception>
    public RngState State
    {
        get => new(_s0, _s1, _s2, _s3, _hasSpare, _spareNormal);
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
                throw new ArgumentException("rng: an all-zero xoshiro state is invalid");
            (_s0, _s1, _s2, _s3, _hasSpare, _spareNormal) = (value.S0, value.S1, value.S2, value.S3, value.HasSpare, value.Spare);
        }
    }
}

/// <summary>A snapshot of an <see cref="Rng"/>: assign it to <see cref="Rng.State"/> to continue the same stream.</summary>
/// <param name="S0">xoshiro256** state word 0 (the four words must not all be zero).</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="HasSpare">Whether a Box–Muller normal is waiting for the next <see cref="Rng.NextNormal"/>.</param>
/// <param name="Spare">That waiting normal sample (meaningless when <paramref name="HasSpare"/> is false).</param>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpare, double Spare);
