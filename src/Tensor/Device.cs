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
    public static readonly Device Cpu = new(DeviceKind.Cpu);
    public static readonly Device IlgpuCpu = new(DeviceKind.IlgpuCpu);
    public static readonly Device Cuda = new(DeviceKind.Cuda);

    public string Name => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.IlgpuCpu => "ilgpu-cpu",
        _ => "cuda",
    };

    public static Device Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => Cpu,
        "ilgpu-cpu" => IlgpuCpu,
        "cuda" or "gpu" => Cuda,
        _ => throw new ArgumentException($"unknown device '{name}' (expected cpu, ilgpu-cpu or cuda)"),
    };

    public override string ToString() => Name;
}
