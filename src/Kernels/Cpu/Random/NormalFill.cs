using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu.Random;

/// <summary>
/// Bulk standard-normal fills from Philox: element i depends on (key, stream, i) alone (the layout
/// is in <see cref="Philox"/>), so threads take fixed chunks and vector lanes take blocks, and the
/// result is the same bits on 1 or N threads and on Vector512, Vector256, Vector128 or scalar code.
/// </summary>
internal static class NormalFill
{
    /// <summary>The lane width a fill runs at (tests pick the narrower ones directly).</summary>
    internal enum Width { Scalar, Vector128, Vector256, Vector512 }

    internal static Width Widest =>
        Vector512.IsHardwareAccelerated ? Width.Vector512 :
        Vector256.IsHardwareAccelerated ? Width.Vector256 :
        Vector128.IsHardwareAccelerated ? Width.Vector128 : Width.Scalar;

    private const int ChunkLength = 256 * Philox.FloatGroup;     // 16,384 elements per thread part
    private const int ParallelThreshold = 2 * ChunkLength;

    public static void Float(Span<float> values, ulong key, ulong stream) => Float(values, key, stream, Widest);

    internal static unsafe void Float(Span<float> values, ulong key, ulong stream, Width width)
    {
        if (values.Length >= ParallelThreshold && CpuThreads.Count > 1)
        {
            fixed (float* p = values)
            {
                var work = FloatWork.OfThisThread;
                work.Values = p;
                (work.Key, work.Stream, work.Width) = (key, stream, width);
                (work.Count, work.BlockLength) = (values.Length, ChunkLength);
                WorkerPool.Run(work, work.Blocks);
                work.Values = null;
            }
        }
        else FloatRange(values, 0, key, stream, width);
    }

    public static unsafe void Double(Span<double> values, ulong key, ulong stream)
    {
        if (values.Length >= ParallelThreshold / 4 && CpuThreads.Count > 1)
        {
            fixed (double* p = values)
            {
                var work = DoubleWork.OfThisThread;
                work.Values = p;
                (work.Key, work.Stream) = (key, stream);
                (work.Count, work.BlockLength) = (values.Length, ChunkLength / 4);
                WorkerPool.Run(work, work.Blocks);
                work.Values = null;
            }
        }
        else DoubleRange(values, 0, key, stream);
    }

    // values = elements [first, first + values.Length) of the stream; first is a multiple of the group.
    private static void FloatRange(Span<float> values, long first, ulong key, ulong stream, Width width)
    {
        switch (width)
        {
            case Width.Vector512: FloatGroups<Lanes512, Vector512<uint>, Vector512<float>>(values, first, key, stream); break;
            case Width.Vector256: FloatGroups<Lanes256, Vector256<uint>, Vector256<float>>(values, first, key, stream); break;
            case Width.Vector128: FloatGroups<Lanes128, Vector128<uint>, Vector128<float>>(values, first, key, stream); break;
            default: FloatGroups<ScalarLanes, uint, float>(values, first, key, stream); break;
        }
    }

    private static void FloatGroups<TL, TU, TF>(Span<float> values, long first, ulong key, ulong stream)
        where TL : ILanes<TU, TF> where TU : struct where TF : struct
    {
        int full = values.Length / Philox.FloatGroup * Philox.FloatGroup;
        long firstGroup = first / Philox.FloatGroup;
        for (int start = 0; start < full; start += Philox.FloatGroup)
            FloatGroup<TL, TU, TF>(values.Slice(start, Philox.FloatGroup), firstGroup + start / Philox.FloatGroup, key, stream);
        if (full < values.Length)
        {
            // The last, partial group: computed whole on the stack, its head copied out.
            Span<float> group = stackalloc float[Philox.FloatGroup];
            FloatGroup<TL, TU, TF>(group, firstGroup + full / Philox.FloatGroup, key, stream);
            group[..(values.Length - full)].CopyTo(values[full..]);
        }
    }

    // group: 64 elements; lanes l0 … l0 + Count − 1 of its 16 blocks at a time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FloatGroup<TL, TU, TF>(Span<float> group, long groupIndex, ulong key, ulong stream)
        where TL : ILanes<TU, TF> where TU : struct where TF : struct
    {
        for (int l0 = 0; l0 < Philox.Lanes; l0 += TL.Count)
        {
            TU counter = TL.Add(TL.Broadcast(checked((uint)(groupIndex * Philox.Lanes + l0))), TL.Indices);
            var (w0, w1, w2, w3) = PhiloxLanes<TL, TU, TF>.Block(counter, key, stream);
            TF r01 = BoxMuller<TL, TU, TF>.Radius(w0), r23 = BoxMuller<TL, TU, TF>.Radius(w2);
            var (sin1, cos1) = BoxMuller<TL, TU, TF>.SinCos(w1);
            var (sin3, cos3) = BoxMuller<TL, TU, TF>.SinCos(w3);
            TL.Store(TL.Multiply(r01, cos1), group[l0..]);
            TL.Store(TL.Multiply(r01, sin1), group[(Philox.Lanes + l0)..]);
            TL.Store(TL.Multiply(r23, cos3), group[(2 * Philox.Lanes + l0)..]);
            TL.Store(TL.Multiply(r23, sin3), group[(3 * Philox.Lanes + l0)..]);
        }
    }

    // float64: scalar blocks, one Box–Muller pair each (see Philox's layout).
    private static void DoubleRange(Span<double> values, long first, ulong key, ulong stream)
    {
        long firstGroup = first / Philox.DoubleGroup;
        for (int start = 0; start < values.Length; start += Philox.DoubleGroup)
        {
            long group = firstGroup + start / Philox.DoubleGroup;
            for (int lane = 0; lane < Philox.Lanes && start + lane < values.Length; lane++)
            {
                var (w0, w1, w2, w3) = Philox.Block(key, stream, checked((uint)(group * Philox.Lanes + lane)));
                var (radius, sin, cos) = Philox.BoxMullerDouble(w0, w1, w2, w3);
                values[start + lane] = radius * cos;
                if (start + Philox.Lanes + lane < values.Length) values[start + Philox.Lanes + lane] = radius * sin;
            }
        }
    }

    // One chunk per part; reused per calling thread (no closure per call).
    private sealed unsafe class FloatWork : BlockWork
    {
        [ThreadStatic] private static FloatWork? _ofThisThread;
        public static FloatWork OfThisThread => _ofThisThread ??= new();

        public float* Values;
        public ulong Key, Stream;
        public Width Width;

        protected override void RunBlock(int start, int end) =>
            FloatRange(new Span<float>(Values + start, end - start), start, Key, Stream, Width);
    }

    private sealed unsafe class DoubleWork : BlockWork
    {
        [ThreadStatic] private static DoubleWork? _ofThisThread;
        public static DoubleWork OfThisThread => _ofThisThread ??= new();

        public double* Values;
        public ulong Key, Stream;

        protected override void RunBlock(int start, int end) =>
            DoubleRange(new Span<double>(Values + start, end - start), start, Key, Stream);
    }
}

/// <summary>Philox4x32-10 on Count counters at once (the same rounds as <see cref="Philox.Block(uint, uint, uint, uint, uint, uint)"/>).</summary>
internal static class PhiloxLanes<TL, TU, TF> where TL : ILanes<TU, TF> where TU : struct where TF : struct
{
    // counter: the lanes' block indices; the rest of the counter (0, stream) and the key are the same in every lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TU, TU, TU, TU) Block(TU counter, ulong key, ulong stream)
    {
        TU c0 = counter, c1 = TL.Broadcast(0u), c2 = TL.Broadcast((uint)stream), c3 = TL.Broadcast((uint)(stream >> 32));
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < Philox.Rounds; round++)
        {
            if (round > 0) { k0 += Philox.W0; k1 += Philox.W1; }
            TU hi0 = TL.MultiplyHigh(c0, Philox.M0), lo0 = TL.MultiplyLow(c0, Philox.M0);
            TU hi1 = TL.MultiplyHigh(c2, Philox.M1), lo1 = TL.MultiplyLow(c2, Philox.M1);
            (c0, c1, c2, c3) = (TL.Xor(TL.Xor(hi1, c1), TL.Broadcast(k0)), lo1, TL.Xor(TL.Xor(hi0, c3), TL.Broadcast(k1)), lo0);
        }
        return (c0, c1, c2, c3);
    }
}
