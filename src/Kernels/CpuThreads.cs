namespace Scratch.Kernels;

/// <summary>
/// How many threads the CPU kernels may use. Work is always split into the same pieces
/// whatever this number is (the pieces are only handed to more or fewer threads), so a
/// result is bitwise the same on 1 or 2 threads.
/// </summary>
public static class CpuThreads
{
    private static int _count = Environment.ProcessorCount;

    public static int Count
    {
        get => _count;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, "CpuThreads.Count must be at least 1.");
            _count = value;
        }
    }

    /// <summary>Sets the thread count for the lifetime of the returned scope, then restores it.</summary>
    public static Scope Use(int count)
    {
        var previous = Count;
        Count = count;
        return new Scope(previous);
    }

    public readonly struct Scope(int previous) : IDisposable
    {
        public void Dispose() => Count = previous;
    }
}
