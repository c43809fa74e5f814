namespace Scratch.Kernels.Cpu.Random;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
/// counter-based generator. Block b of stream s under key k is a pure function
/// Philox(k, (b, 0, s.lo, s.hi)) → four 32-bit words, so any element can be computed on its own —
/// by any thread, any vector lane or a GPU thread — and the numbers never depend on who computed
/// them. The same generator as cuRAND's and PyTorch's CUDA Philox (tested on Random123's answers).
/// </summary>
/// <remarks>
/// Layout of a fill (the contract the CPU lanes, the scalar reference and the GPU kernel share):
/// elements come in groups of 64; group g uses blocks 16g … 16g + 15, block 16g + l in lane l.
/// Float32: block words (w0, w1) and (w2, w3) are two Box–Muller pairs, and element
/// 64g + l = r(w0)·cos θ(w1), 64g + 16 + l = r(w0)·sin θ(w1), 64g + 32 + l = r(w2)·cos θ(w3),
/// 64g + 48 + l = r(w2)·sin θ(w3). Group-major like this, a Vector512 of 16 lanes computes a
/// group's quarter in one go, and narrower vectors compute half or a quarter of it — with the same
/// bits, since every lane does the same operations.
/// Float64: one pair per block (53-bit uniforms from (w0, w1) and (w2, w3)), groups of 32:
/// element 32g + l = r·cos θ, 32g + 16 + l = r·sin θ.
/// </remarks>
public static class Philox
{
    /// <summary>The round multipliers of Philox4x32 (Random123's PHILOX_M4x32_0 and _1).</summary>
    public const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;

    /// <summary>The Weyl increments added to the key between rounds (Random123's PHILOX_W32_0 and _1).</summary>
    public const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Rounds per block: the 10 of Philox4x32-10.</summary>
    public const int Rounds = 10;

    /// <summary>Elements per group of a float32 fill (16 blocks × 4 words).</summary>
    public const int FloatGroup = 64;

    /// <summary>Elements per group of a float64 fill (16 blocks × 2 normals).</summary>
    public const int DoubleGroup = 32;

    /// <summary>Blocks per group, one per lane: lane l of group g uses block 16g + l.</summary>
    public const int Lanes = 16;

    /// <summary>The four words of counter (c0, c1, c2, c3) under key (k0, k1).</summary>
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Block <paramref name="block"/> of (key, stream): counter (block, 0, stream.lo, stream.hi).</summary>
    public static (uint, uint, uint, uint) Block(ulong key, ulong stream, uint block) =>
        Block(block, 0, (uint)stream, (uint)(stream >> 32), (uint)key, (uint)(key >> 32));

    /// <summary>Word i of the stream: word i % 4 of block i / 4 (the raw 32-bit draws, for tests and the GPU).</summary>
    public static uint Word(ulong key, ulong stream, long i)
    {
        var (w0, w1, w2, w3) = Block(key, stream, checked((uint)(i / 4)));
        return (i % 4) switch { 0 => w0, 1 => w1, 2 => w2, _ => w3 };
    }

    /// <summary>Element i of a float32 normal fill — the scalar reference of the vector lanes.</summary>
    public static float NormalFloat(ulong key, ulong stream, long i)
    {
        long group = i / FloatGroup;
        int within = (int)(i % FloatGroup), lane = within % Lanes, quarter = within / Lanes;
        var (w0, w1, w2, w3) = Block(key, stream, checked((uint)(group * Lanes + lane)));
        var (radiusWord, angleWord) = quarter < 2 ? (w0, w1) : (w2, w3);
        float radius = BoxMuller<ScalarLanes, uint, float>.Radius(radiusWord);
        var (sin, cos) = BoxMuller<ScalarLanes, uint, float>.SinCos(angleWord);
        return radius * (quarter % 2 == 0 ? cos : sin);
    }

    /// <summary>Element i of a float64 normal fill (Math.Log and Math.SinCos: float64 is for checks, not speed).</summary>
    public static double NormalDouble(ulong key, ulong stream, long i)
    {
        long group = i / DoubleGroup;
        int within = (int)(i % DoubleGroup), lane = within % Lanes;
        var (w0, w1, w2, w3) = Block(key, stream, checked((uint)(group * Lanes + lane)));
        var (radius, sin, cos) = BoxMullerDouble(w0, w1, w2, w3);
        return within < Lanes ? radius * cos : radius * sin;
    }

    /// <summary>Radius and angle of a float64 pair: u1 in (0, 1] from (w0, w1), u2 in [0, 1) from (w2, w3), 53 bits each.</summary>
    internal static (double Radius, double Sin, double Cos) BoxMullerDouble(uint w0, uint w1, uint w2, uint w3)
    {
        const double Unit = 1.0 / (1UL << 53);
        double u1 = ((((ulong)w0 << 32 | w1) >> 11) + 1) * Unit;
        double u2 = (((ulong)w2 << 32 | w3) >> 11) * Unit;
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        return (radius, sin, cos);
    }
}
