namespace Scratch.Kernels.Cpu.Threading;

/// <summary>
/// One parallel region's work: <see cref="Run"/>(part) for each part in [0, parts), any part on
/// any thread, each exactly once. A part must write only its own outputs, so the result never
/// depends on which thread ran it — that is what keeps 1 and N threads bitwise equal.
/// </summary>
/// <remarks>
/// A class the caller keeps and refills, not a lambda: a lambda that captures its operands is a
/// new closure object (and, through Parallel.For, several more) on every call. Callers keep one
/// instance per thread ([ThreadStatic]) and set its fields before <see cref="WorkerPool.Run"/>.
/// </remarks>
internal abstract class ParallelWork
{
    public abstract void Run(int part);
}

/// <summary>
/// Work over fixed blocks of [0, Count): part b is [b·BlockLength, min(Count, (b + 1)·BlockLength)).
/// The blocks depend on the sizes alone, never on the thread count.
/// </summary>
internal abstract class BlockWork : ParallelWork
{
    public int Count, BlockLength;

    public int Blocks => (Count + BlockLength - 1) / BlockLength;

    public sealed override void Run(int part) =>
        RunBlock(part * BlockLength, Math.Min(Count, (part + 1) * BlockLength));

    protected abstract void RunBlock(int start, int end);
}
