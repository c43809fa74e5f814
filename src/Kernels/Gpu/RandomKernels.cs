using ILGPU;
using ILGPU.Algorithms;
using Scratch.Kernels.Cpu.Random;

namespace Scratch.Kernels.Gpu;

/// <summary>Philox's key and stream as the kernels take them (four words).</summary>
internal struct PhiloxKey
{
    public uint K0, K1, S0, S1;

    public PhiloxKey(ulong key, ulong stream) => (K0, K1, S0, S1) = ((uint)key, (uint)(key >> 32), (uint)stream, (uint)(stream >> 32));
}

/// <summary>
/// The CPU's counter-based normal sampler (Kernels/Cpu/Random) on the device: the same Philox
/// rounds and the same Box–Muller polynomials (<see cref="BoxMuller{TL, TU, TF}"/> over
/// <see cref="GpuLanes"/>), with the same layout, so a seed gives the same noise on both devices.
/// One thread per Philox block: block b = 16g + l writes elements 64g + l + {0, 16, 32, 48}.
/// </summary>
internal static class RandomKernels
{
    // y: (n) standard normals; blocks = 16·⌈n / 64⌉ threads.
    public static void FillNormal(Index1D block, ArrayView<float> y, PhiloxKey key)
    {
        int b = block;
        var (w0, w1, w2, w3) = Philox.Block((uint)b, 0, key.S0, key.S1, key.K0, key.K1);
        long first = (long)(b / Philox.Lanes) * Philox.FloatGroup + b % Philox.Lanes;
        float r01 = BoxMuller<GpuLanes, uint, float>.Radius(w0), r23 = BoxMuller<GpuLanes, uint, float>.Radius(w2);
        var (sin1, cos1) = BoxMuller<GpuLanes, uint, float>.SinCos(w1);
        var (sin3, cos3) = BoxMuller<GpuLanes, uint, float>.SinCos(w3);
        Store(y, first, r01 * cos1);
        Store(y, first + Philox.Lanes, r01 * sin1);
        Store(y, first + 2 * Philox.Lanes, r23 * cos3);
        Store(y, first + 3 * Philox.Lanes, r23 * sin3);
    }

    // y: (4·blocks) raw words, y[4b + j] = word j of block b (the uniform integers, for tests).
    public static void FillWords(Index1D block, ArrayView<uint> y, PhiloxKey key)
    {
        var (w0, w1, w2, w3) = Philox.Block((uint)(int)block, 0, key.S0, key.S1, key.K0, key.K1);
        y[4 * block] = w0;
        y[4 * block + 1] = w1;
        y[4 * block + 2] = w2;
        y[4 * block + 3] = w3;
    }

    private static void Store(ArrayView<float> y, long i, float value)
    {
        if (i < y.Length) y[i] = value;
    }
}

/// <summary>One lane per GPU thread: <see cref="ScalarLanes"/> with ILGPU's bit casts and square root.</summary>
internal readonly struct GpuLanes : ILanes<uint, float>
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
    public static float AsFloat(uint bits) => Interop.IntAsFloat(bits);
    public static uint AsBits(float x) => Interop.FloatAsInt(x);
    public static float ConvertSigned(uint a) => (int)a;
    public static float Add(float a, float b) => a + b;
    public static float Multiply(float a, float b) => a * b;
    public static float Sqrt(float a) => XMath.Sqrt(a);
    public static uint LessThan(float a, float b) => a < b ? uint.MaxValue : 0;
    public static void Store(float x, Span<float> destination) => throw new NotSupportedException("GpuLanes: kernels store through ArrayView");
}
