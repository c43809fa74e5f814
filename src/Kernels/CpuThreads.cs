namespace Scratch.Kernels;

/// <summary>
/// How many threads the CPU kernels may use. Work is always split into the same pieces
/// whatever this number is (the pieces are only handed to more or fewer threads), so a
/// result is bitwise the same on 1 or 2 threads.
/// </summary>
public static class CpuThreads
{
    private static int _count = Environment.ProcessorCount;

    /// <summary>
    /// The most threads a CPU kernel uses; starts at <see cref="Environment.ProcessorCount"/>.
    /// Process-wide, not per thread. Setting a value below 1 throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
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

    /// <summary>What <see cref="Use"/> returns: disposing it sets <see cref="Count"/> back.</summary>
    /// <param name="previous">The count that <see cref="Dispose"/> restores.</param>
    public readonly struct Scope(int previous) : IDisposable
    {
        /// <summary>Sets <see cref="Count"/> back to the value it had when the scope began.</summary>
        public void Dispose() => Count = previous;
    }
}
