using System.Runtime.CompilerServices;

namespace Scratch.Kernels.Cpu.Random;

/// <summary>
/// Box–Muller in float32 over any lane width: z = √(−2 ln u1)·(cos 2πu2, sin 2πu2). The log and the
/// sine/cosine are Cephes' logf/sinf/cosf polynomials (accurate to about 1 ulp) evaluated with plain
/// multiplies and adds, so a scalar and a Vector512 give the same bits — which library log/sin
/// (vectorized or not) do not promise.
/// </summary>
internal static class BoxMuller<TL, TU, TF> where TL : ILanes<TU, TF> where TU : struct where TF : struct
{
    private const float Sqrt2 = 1.41421356f;
    private const float TwoPiOver2To24 = (float)(2 * Math.PI / (1 << 24));

    /// <summary>√(−2 ln u) for u = ((word >> 8) + 1)·2⁻²⁴ in (0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Radius(TU word)
    {
        // n = u·2²⁴ is an integer in [1, 2²⁴]: exact in float. ln u = ln m + e·ln 2 with m in [1, 2).
        TF n = TL.ConvertSigned(TL.Add(TL.ShiftRight(word, 8), TL.Broadcast(1u)));
        TU bits = TL.AsBits(n);
        TU exponent = TL.Subtract(TL.ShiftRight(bits, 23), TL.Broadcast(127u + 24u));
        TF m = TL.AsFloat(TL.Or(TL.And(bits, TL.Broadcast(0x007FFFFFu)), TL.Broadcast(0x3F800000u)));
        // Cephes keeps the polynomial's argument in [√½ − 1, √2 − 1): m ≥ √2 becomes m/2 with e + 1.
        TU small = TL.LessThan(m, TL.Broadcast(Sqrt2));
        TF x = Select(small, TL.Add(m, TL.Broadcast(-1f)), TL.Add(TL.Multiply(m, TL.Broadcast(0.5f)), TL.Broadcast(-1f)));
        TF e = TL.ConvertSigned(TL.Add(exponent, TL.And(TL.Xor(small, TL.Broadcast(uint.MaxValue)), TL.Broadcast(1u))));

        TF z = TL.Multiply(x, x);
        TF p = TL.Broadcast(7.0376836292E-2f);
        p = MulAdd(p, x, -1.1514610310E-1f);
        p = MulAdd(p, x, 1.1676998740E-1f);
        p = MulAdd(p, x, -1.2420140846E-1f);
        p = MulAdd(p, x, 1.4249322787E-1f);
        p = MulAdd(p, x, -1.6668057665E-1f);
        p = MulAdd(p, x, 2.0000714765E-1f);
        p = MulAdd(p, x, -2.4999993993E-1f);
        p = MulAdd(p, x, 3.3333331174E-1f);
        TF y = TL.Multiply(TL.Multiply(p, x), z);
        y = TL.Add(y, TL.Multiply(e, TL.Broadcast(-2.12194440E-4f)));
        y = TL.Add(y, TL.Multiply(z, TL.Broadcast(-0.5f)));
        TF log = TL.Add(TL.Add(x, y), TL.Multiply(e, TL.Broadcast(0.693359375f)));
        return TL.Sqrt(TL.Multiply(log, TL.Broadcast(-2f)));
    }

    /// <summary>sin and cos of 2π·(word >> 8)·2⁻²⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TF Sin, TF Cos) SinCos(TU word)
    {
        // Reduce in integers, exactly: k = q·2²² + r with q the nearest quarter turn (0..4) and
        // |r| ≤ 2²¹, so the angle left is a = 2π·r·2⁻²⁴ in [−π/4, π/4] with one rounding.
        TU k = TL.ShiftRight(word, 8);
        TU q = TL.ShiftRight(TL.Add(k, TL.Broadcast(1u << 21)), 22);
        TF a = TL.Multiply(TL.ConvertSigned(TL.Subtract(k, TL.ShiftLeft(q, 22))), TL.Broadcast(TwoPiOver2To24));
        TF z = TL.Multiply(a, a);

        TF s = MulAdd(TL.Broadcast(-1.9515295891E-4f), z, 8.3321608736E-3f);
        s = MulAdd(s, z, -1.6666654611E-1f);
        s = TL.Add(TL.Multiply(TL.Multiply(s, z), a), a);

        TF c = MulAdd(TL.Broadcast(2.443315711809948E-5f), z, -1.388731625493765E-3f);
        c = MulAdd(c, z, 4.166664568298827E-2f);
        c = TL.Add(TL.Add(TL.Multiply(TL.Multiply(c, z), z), TL.Multiply(z, TL.Broadcast(-0.5f))), TL.Broadcast(1f));

        // sin(qπ/2 + a): odd quarters swap sin and cos; sin is negative in quarters 2 and 3, cos in 1 and 2.
        TU swap = TL.Subtract(TL.Broadcast(0u), TL.And(q, TL.Broadcast(1u)));
        TF sin = Select(swap, c, s), cos = Select(swap, s, c);
        sin = TL.AsFloat(TL.Xor(TL.AsBits(sin), TL.ShiftLeft(TL.And(q, TL.Broadcast(2u)), 30)));
        cos = TL.AsFloat(TL.Xor(TL.AsBits(cos), TL.ShiftLeft(TL.And(TL.Add(q, TL.Broadcast(1u)), TL.Broadcast(2u)), 30)));
        return (sin, cos);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF MulAdd(TF a, TF b, float c) => TL.Add(TL.Multiply(a, b), TL.Broadcast(c));

    // mask ? a : b, bit by bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Select(TU mask, TF a, TF b)
    {
        TU bitsB = TL.AsBits(b);
        return TL.AsFloat(TL.Xor(bitsB, TL.And(TL.Xor(TL.AsBits(a), bitsB), mask)));
    }
}
