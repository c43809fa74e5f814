using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scratch.Kernels.Cpu.Random;

/// <summary>
/// The few lane operations the normal sampler needs, at one width: 32-bit integer lanes (TU) and
/// float lanes (TF) of the same count. The sampler is written once over this interface (the
/// TensorPrimitives operator pattern) and the JIT specializes it per width; the scalar width is the
/// reference the vector widths are tested bitwise against. Only exactly rounded operations (add,
/// multiply, square root, integer ops — no fused multiply-add, no library log/sin) so every width
/// and every instruction set gives the same bits.
/// </summary>
internal interface ILanes<TU, TF> where TU : struct where TF : struct
{
    static abstract int Count { get; }
    static abstract TU Broadcast(uint x);
    static abstract TF Broadcast(float x);
    /// <summary>0, 1, …, Count − 1.</summary>
    static abstract TU Indices { get; }
    static abstract TU Add(TU a, TU b);
    static abstract TU Subtract(TU a, TU b);
    static abstract TU Xor(TU a, TU b);
    static abstract TU And(TU a, TU b);
    static abstract TU Or(TU a, TU b);
    static abstract TU ShiftRight(TU a, int n);
    static abstract TU ShiftLeft(TU a, int n);
    /// <summary>The low and high 32 bits of a·m, per lane.</summary>
    static abstract TU MultiplyLow(TU a, uint m);
    static abstract TU MultiplyHigh(TU a, uint m);
    static abstract TF AsFloat(TU bits);
    static abstract TU AsBits(TF x);
    /// <summary>The lanes read as int32, converted to float (exact below 2^24).</summary>
    static abstract TF ConvertSigned(TU a);
    static abstract TF Add(TF a, TF b);
    static abstract TF Multiply(TF a, TF b);
    static abstract TF Sqrt(TF a);
    /// <summary>All ones where a &lt; b, else zero.</summary>
    static abstract TU LessThan(TF a, TF b);
    static abstract void Store(TF x, Span<float> destination);
}

internal readonly struct ScalarLanes : ILanes<uint, float>
{
    public static int Count => 1;
    public static uint Broadcast(uint x) => x;
    public static float Broadcast(float x) => x;
    public static uint Indices => 0;
    public static uint Add(uint a, uint b) => a + b;
    public static uint Subtract(uint a, uint b) => a - b;
    public static uint Xor(uint a, uint b) => a ^ b;
    public static uint And(uint a, uint b) => a & b;
    public static uint Or(uint a, uint b) => a | b;
    public static uint ShiftRight(uint a, int n) => a >> n;
    public static uint ShiftLeft(uint a, int n) => a << n;
    public static uint MultiplyLow(uint a, uint m) => a * m;
    public static uint MultiplyHigh(uint a, uint m) => (uint)((ulong)a * m >> 32);
    public static float AsFloat(uint bits) => BitConverter.UInt32BitsToSingle(bits);
    public static uint AsBits(float x) => BitConverter.SingleToUInt32Bits(x);
    public static float ConvertSigned(uint a) => (int)a;
    public static float Add(float a, float b) => a + b;
    public static float Multiply(float a, float b) => a * b;
    public static float Sqrt(float a) => MathF.Sqrt(a);
    public static uint LessThan(float a, float b) => a < b ? uint.MaxValue : 0;
    public static void Store(float x, Span<float> destination) => destination[0] = x;
}

internal readonly struct Lanes128 : ILanes<Vector128<uint>, Vector128<float>>
{
    private static Vector128<ulong> LowHalves => Vector128.Create(0xFFFFFFFFUL);
    private static Vector128<ulong> HighHalves => Vector128.Create(0xFFFFFFFF00000000UL);

    public static int Count => Vector128<float>.Count;
    public static Vector128<uint> Broadcast(uint x) => Vector128.Create(x);
    public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    public static Vector128<uint> Indices => Vector128<uint>.Indices;
    public static Vector128<uint> Add(Vector128<uint> a, Vector128<uint> b) => a + b;
    public static Vector128<uint> Subtract(Vector128<uint> a, Vector128<uint> b) => a - b;
    public static Vector128<uint> Xor(Vector128<uint> a, Vector128<uint> b) => a ^ b;
    public static Vector128<uint> And(Vector128<uint> a, Vector128<uint> b) => a & b;
    public static Vector128<uint> Or(Vector128<uint> a, Vector128<uint> b) => a | b;
    public static Vector128<uint> ShiftRight(Vector128<uint> a, int n) => a >>> n;
    public static Vector128<uint> ShiftLeft(Vector128<uint> a, int n) => a << n;
    public static Vector128<uint> MultiplyLow(Vector128<uint> a, uint m) => a * m;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> MultiplyHigh(Vector128<uint> a, uint m)
    {
        // 32×32 → 64 on the even lanes (pmuludq), then on the odd lanes shifted down; keep the high halves.
        Vector128<ulong> even, odd;
        if (Sse2.IsSupported)
        {
            even = Sse2.Multiply(a, Vector128.Create(m));
            odd = Sse2.Multiply((a.AsUInt64() >>> 32).AsUInt32(), Vector128.Create(m));
        }
        else
        {
            even = (a.AsUInt64() & LowHalves) * m;
            odd = (a.AsUInt64() >>> 32) * m;
        }
        return ((even >>> 32) | (odd & HighHalves)).AsUInt32();
    }

    public static Vector128<float> AsFloat(Vector128<uint> bits) => bits.AsSingle();
    public static Vector128<uint> AsBits(Vector128<float> x) => x.AsUInt32();
    public static Vector128<float> ConvertSigned(Vector128<uint> a) => Vector128.ConvertToSingle(a.AsInt32());
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);
    public static Vector128<uint> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b).AsUInt32();
    public static void Store(Vector128<float> x, Span<float> destination) => x.CopyTo(destination);
}

internal readonly struct Lanes256 : ILanes<Vector256<uint>, Vector256<float>>
{
    private static Vector256<ulong> LowHalves => Vector256.Create(0xFFFFFFFFUL);
    private static Vector256<ulong> HighHalves => Vector256.Create(0xFFFFFFFF00000000UL);

    public static int Count => Vector256<float>.Count;
    public static Vector256<uint> Broadcast(uint x) => Vector256.Create(x);
    public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    public static Vector256<uint> Indices => Vector256<uint>.Indices;
    public static Vector256<uint> Add(Vector256<uint> a, Vector256<uint> b) => a + b;
    public static Vector256<uint> Subtract(Vector256<uint> a, Vector256<uint> b) => a - b;
    public static Vector256<uint> Xor(Vector256<uint> a, Vector256<uint> b) => a ^ b;
    public static Vector256<uint> And(Vector256<uint> a, Vector256<uint> b) => a & b;
    public static Vector256<uint> Or(Vector256<uint> a, Vector256<uint> b) => a | b;
    public static Vector256<uint> ShiftRight(Vector256<uint> a, int n) => a >>> n;
    public static Vector256<uint> ShiftLeft(Vector256<uint> a, int n) => a << n;
    public static Vector256<uint> MultiplyLow(Vector256<uint> a, uint m) => a * m;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> MultiplyHigh(Vector256<uint> a, uint m)
    {
        Vector256<ulong> even, odd;
        if (Avx2.IsSupported)
        {
            even = Avx2.Multiply(a, Vector256.Create(m));
            odd = Avx2.Multiply((a.AsUInt64() >>> 32).AsUInt32(), Vector256.Create(m));
        }
        else
        {
            even = (a.AsUInt64() & LowHalves) * m;
            odd = (a.AsUInt64() >>> 32) * m;
        }
        return ((even >>> 32) | (odd & HighHalves)).AsUInt32();
    }

    public static Vector256<float> AsFloat(Vector256<uint> bits) => bits.AsSingle();
    public static Vector256<uint> AsBits(Vector256<float> x) => x.AsUInt32();
    public static Vector256<float> ConvertSigned(Vector256<uint> a) => Vector256.ConvertToSingle(a.AsInt32());
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    public static Vector256<uint> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b).AsUInt32();
    public static void Store(Vector256<float> x, Span<float> destination) => x.CopyTo(destination);
}

internal readonly struct Lanes512 : ILanes<Vector512<uint>, Vector512<float>>
{
    private static Vector512<ulong> LowHalves => Vector512.Create(0xFFFFFFFFUL);
    private static Vector512<ulong> HighHalves => Vector512.Create(0xFFFFFFFF00000000UL);

    public static int Count => Vector512<float>.Count;
    public static Vector512<uint> Broadcast(uint x) => Vector512.Create(x);
    public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    public static Vector512<uint> Indices => Vector512<uint>.Indices;
    public static Vector512<uint> Add(Vector512<uint> a, Vector512<uint> b) => a + b;
    public static Vector512<uint> Subtract(Vector512<uint> a, Vector512<uint> b) => a - b;
    public static Vector512<uint> Xor(Vector512<uint> a, Vector512<uint> b) => a ^ b;
    public static Vector512<uint> And(Vector512<uint> a, Vector512<uint> b) => a & b;
    public static Vector512<uint> Or(Vector512<uint> a, Vector512<uint> b) => a | b;
    public static Vector512<uint> ShiftRight(Vector512<uint> a, int n) => a >>> n;
    public static Vector512<uint> ShiftLeft(Vector512<uint> a, int n) => a << n;
    public static Vector512<uint> MultiplyLow(Vector512<uint> a, uint m) => a * m;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> MultiplyHigh(Vector512<uint> a, uint m)
    {
        Vector512<ulong> even, odd;
        if (Avx512F.IsSupported)
        {
            even = Avx512F.Multiply(a, Vector512.Create(m));
            odd = Avx512F.Multiply((a.AsUInt64() >>> 32).AsUInt32(), Vector512.Create(m));
        }
        else
        {
            even = (a.AsUInt64() & LowHalves) * m;
            odd = (a.AsUInt64() >>> 32) * m;
        }
        return ((even >>> 32) | (odd & HighHalves)).AsUInt32();
    }

    public static Vector512<float> AsFloat(Vector512<uint> bits) => bits.AsSingle();
    public static Vector512<uint> AsBits(Vector512<float> x) => x.AsUInt32();
    public static Vector512<float> ConvertSigned(Vector512<uint> a) => Vector512.ConvertToSingle(a.AsInt32());
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    public static Vector512<uint> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b).AsUInt32();
    public static void Store(Vector512<float> x, Span<float> destination) => x.CopyTo(destination);
}
