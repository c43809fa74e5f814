using System.Runtime.InteropServices;

namespace Scratch.Benchmarks;

/// <summary>
/// CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)). On a machine
/// shared with other work, wall time counts the moments the thread was not scheduled; thread
/// CPU time does not, so it estimates what one thread costs on an idle core. Benchmarks only:
/// the engine itself calls no native code.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out _) == 0;

    /// <summary>Nanoseconds of CPU this thread has used so far.</summary>
    public static long NowNs()
    {
        ClockGetTime(ClockThreadCpuTimeId, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
