using System.Runtime.Intrinsics;

namespace Scratch.Benchmarks.Torch;

/// <summary>One line about where the numbers come from: CPU, cores, SIMD width, load, runtime.</summary>
public static class Machine
{
    public static string Describe()
    {
        string cpu = ReadFirst("/proc/cpuinfo", "model name") ?? "unknown CPU";
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        // Which path each engine was allowed: Scratch's GEMM micro-kernel (its own answer), and the
        // instruction-set caps handed to MKL and oneDNN through the environment (unset: their best).
        string mkl = Environment.GetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS") ?? "unrestricted";
        string onednn = Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "unrestricted";
        return $"{cpu}, {Environment.ProcessorCount} logical cores, AVX-512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, " +
               $".NET {Environment.Version}, TorchSharp 0.107.0 (libtorch 2.10 CPU), load average {load} at start\n" +
               $"Scratch GEMM micro-kernel: {Scratch.Kernels.Cpu.CpuKernels.GemmMicroKernel}; MKL_ENABLE_INSTRUCTIONS {mkl}, ONEDNN_MAX_CPU_ISA {onednn}";
    }

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}
