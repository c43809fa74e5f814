using System.Runtime.Intrinsics;

namespace Scratch.Benchmarks.Torch;

/// <summary>One line about where the numbers come from: CPU, cores, SIMD width, load, runtime.</summary>
public static class Machine
{
    public static string Describe()
    {
        string cpu = ReadFirst("/proc/cpuinfo", "model name") ?? "unknown CPU";
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{cpu}, {Environment.ProcessorCount} logical cores, AVX-512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, " +
               $".NET {Environment.Version}, TorchSharp 0.107.0 (libtorch 2.10 CPU), load average {load} at start";
    }

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}
