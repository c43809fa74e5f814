using System.Buffers;
using System.Numerics;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu.Reductions;

/// <summary>A reduction of one contiguous span to one value (sum, max, ...).</summary>
internal interface ISpanReducer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Reduce(ReadOnlySpan<T> x);
}

/// <summary>
/// Splits a long span into fixed chunks of <see cref="ChunkLength"/> elements, reduces each chunk,
/// then reduces the chunk results in chunk order. The chunks never depend on the thread count:
/// threads only decide WHO computes each chunk, so the result is bitwise the same on 1 or N threads
/// (the determinism rule of DESIGN.md). Below <see cref="ParallelThreshold"/> elements one thread does
/// all chunks: waking a second thread costs more than summing half a megabyte.
/// </summary>
internal static class ChunkedReduction
{
    public const int ChunkLength = 16384;           // 64 KB of float: fits L2, many vectors per chunk
    public const int ParallelThreshold = 1 << 17;   // 128 Ki elements

    public static T Run<T, TReducer>(ReadOnlySpan<T> x, bool allowThreads = true)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        if (x.Length <= ChunkLength) return TReducer.Reduce(x);

        int chunks = (x.Length + ChunkLength - 1) / ChunkLength;
        T[] partials = ArrayPool<T>.Shared.Rent(chunks);
        try
        {
            if (allowThreads && ShouldThread(chunks, x.Length))
                ReduceChunksInParallel<T, TReducer>(x, partials, chunks);
            else
                for (int i = 0; i < chunks; i++) partials[i] = TReducer.Reduce(Chunk(x, i));

            // The partials are reduced the same way (recursively chunked if there are very many).
            return Run<T, TReducer>(partials.AsSpan(0, chunks), allowThreads: false);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    private static ReadOnlySpan<T> Chunk<T>(ReadOnlySpan<T> x, int i)
    {
        int start = i * ChunkLength;
        return x.Slice(start, Math.Min(ChunkLength, x.Length - start));
    }

    private static unsafe void ReduceChunksInParallel<T, TReducer>(ReadOnlySpan<T> x, T[] partials, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        fixed (T* p = x)
        {
            var work = ChunkWork<T, TReducer>.OfThisThread;
            work.X = p; work.Length = x.Length; work.Partials = partials;
            WorkerPool.Run(work, chunks);
            work.Partials = null;
        }
    }

    // Part i reduces chunk i into partials[i]. Reused per calling thread (no closure per call).
    private sealed unsafe class ChunkWork<T, TReducer> : ParallelWork
        where T : unmanaged, IFloatingPointIeee754<T> where TReducer : ISpanReducer<T>
    {
        [ThreadStatic] private static ChunkWork<T, TReducer>? _ofThisThread;
        public static ChunkWork<T, TReducer> OfThisThread => _ofThisThread ??= new();

        public T* X;
        public int Length;
        public T[]? Partials;

        public override void Run(int i) => Partials![i] = TReducer.Reduce(Chunk(new ReadOnlySpan<T>(X, Length), i));
    }

    /// <summary>
    /// Whether work split into fixed blocks should be handed to several threads: only when there is
    /// more than one block, more than one thread, and enough elements to pay for waking a thread.
    /// The blocks themselves never change, so the answer affects speed, never the result.
    /// </summary>
    public static bool ShouldThread(int blocks, long work) =>
        blocks > 1 && CpuThreads.Count > 1 && work >= ParallelThreshold;

    /// <summary>
    /// Runs work over [0, count) in fixed blocks of blockLength on up to CpuThreads.Count threads.
    /// For reductions whose outputs are independent (one per row, one per column block), so any
    /// thread count gives the same bits.
    /// </summary>
    public static void ParallelBlocks(int count, int blockLength, BlockWork work)
    {
        (work.Count, work.BlockLength) = (count, blockLength);
        WorkerPool.Run(work, work.Blocks);
    }
}
