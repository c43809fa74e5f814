namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The data cache sizes of one core, in bytes, as the operating system reports them: the facts
/// <see cref="Blocking"/> derives its block sizes from, instead of constants tuned on one CPU.
/// </summary>
/// <remarks>
/// Linux describes each cache of CPU 0 in /sys/devices/system/cpu/cpu0/cache/index*/ (level,
/// type, size like "48K", and the CPUs that share it). .NET has no portable API for this, so
/// elsewhere (Windows, macOS, a container that hides /sys) the fallbacks apply: sizes smaller
/// than any desktop or server core of the last decade has, so blocks sized from them still fit.
/// The L3 is reported per core: its size divided by the CPUs that share it.
/// </remarks>
internal sealed record CacheSizes(long L1Data, long L2, long L3PerCore, string Source)
{
    public static readonly CacheSizes Fallback = new(32 * 1024, 512 * 1024, 2 * 1024 * 1024, "fallback");

    public static CacheSizes OfThisMachine { get; } = Read("/sys/devices/system/cpu/cpu0/cache");

    public static CacheSizes Read(string folder)
    {
        try
        {
            if (!Directory.Exists(folder)) return Fallback;
            long l1 = 0, l2 = 0, l3 = 0;
            foreach (var index in Directory.GetDirectories(folder, "index*"))
            {
                string type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (type == "Instruction") continue;
                int level = int.Parse(File.ReadAllText(Path.Combine(index, "level")).Trim());
                long size = ParseSize(File.ReadAllText(Path.Combine(index, "size")).Trim());
                int sharing = SharingCpus(Path.Combine(index, "shared_cpu_list"));
                if (level == 1) l1 = size;
                else if (level == 2) l2 = size / Math.Max(1, sharing);
                else if (level == 3) l3 = size / Math.Max(1, sharing);
            }
            // A level the OS did not report takes its fallback; a smaller L3 share than the L2
            // (some VMs) is not believed either.
            return new CacheSizes(
                l1 > 0 ? l1 : Fallback.L1Data,
                l2 > 0 ? l2 : Fallback.L2,
                l3 > 0 ? Math.Max(l3, l2) : Math.Max(Fallback.L3PerCore, l2),
                folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return Fallback;
        }
    }

    // "48K", "1024K", "32M" or a plain number of bytes.
    internal static long ParseSize(string text)
    {
        long unit = 1;
        if (text.EndsWith('K')) unit = 1024;
        else if (text.EndsWith('M')) unit = 1024 * 1024;
        else if (text.EndsWith('G')) unit = 1024L * 1024 * 1024;
        return long.Parse(unit == 1 ? text : text[..^1]) * unit;
    }

    // "0-1", "0,2,4-7": the number of CPUs listed. A missing file counts as one CPU.
    private static int SharingCpus(string file)
    {
        if (!File.Exists(file)) return 1;
        int count = 0;
        foreach (var part in File.ReadAllText(file).Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            count += ends.Length == 2 ? int.Parse(ends[1]) - int.Parse(ends[0]) + 1 : 1;
        }
        return Math.Max(count, 1);
    }
}
