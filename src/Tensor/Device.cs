namespace Scratch;

/// <summary>Where a tensor's storage lives and whose kernels compute on it.</summary>
public enum DeviceKind
{
    /// <summary>This machine's CPU: SIMD kernels and the GEMM of Scratch.Kernels.Cpu.</summary>
    Cpu,
    /// <summary>ILGPU's CPU accelerator: the GPU kernels, simulated; slow, exists for tests.</summary>
    IlgpuCpu,
    /// <summary>An NVIDIA GPU through ILGPU's CUDA backend.</summary>
    Cuda,
}

/// <summary>A device by name: "cpu", "ilgpu-cpu" or "cuda".</summary>
public sealed record Device(DeviceKind Kind)
{
    /// <summary>The CPU with the SIMD kernels: the default device of every tensor factory.</summary>
    public static readonly Device Cpu = new(DeviceKind.Cpu);
    /// <summary>The GPU kernels run by ILGPU's CPU simulator: slow, float32 only, for testing GPU code without a GPU.</summary>
    public static readonly Device IlgpuCpu = new(DeviceKind.IlgpuCpu);
    /// <summary>The NVIDIA GPU (float32 only); its backend is created on first use and fails if no CUDA driver is found.</summary>
    public static readonly Device Cuda = new(DeviceKind.Cuda);

    /// <summary>The device's name in messages and on the command line: "cpu", "ilgpu-cpu" or "cuda".</summary>
    public string Name => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.IlgpuCpu => "ilgpu-cpu",
        _ => "cuda",
    };

    /// <summary>The device for a name, ignoring case and surrounding spaces: "cpu", "ilgpu-cpu", or "cuda" (alias "gpu").</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> names no device.</exception>
    public static Device Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => Cpu,
        "ilgpu-cpu" => IlgpuCpu,
        "cuda" or "gpu" => Cuda,
        _ => throw new ArgumentException($"unknown device '{name}' (expected cpu, ilgpu-cpu or cuda)"),
    };

    /// <summary>The same as <see cref="Name"/>, so a device reads "cpu" in interpolated strings.</summary>
    public override string ToString() => Name;
}
