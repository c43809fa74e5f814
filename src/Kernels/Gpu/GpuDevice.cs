using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// One ILGPU accelerator and every kernel Scratch runs on it. Two kinds exist:
/// <list type="bullet">
/// <item><c>cuda</c>: an NVIDIA GPU through the CUDA driver.</item>
/// <item><c>ilgpu-cpu</c>: ILGPU's CPU accelerator, which simulates GPU threads, groups,
/// warps, shared memory and barriers with ordinary threads. Slow; it exists so every GPU
/// kernel is tested on a machine without a GPU.</item>
/// </list>
/// Kernels are compiled on first use and cached for the device's lifetime. Every operation
/// is enqueued on the accelerator's default stream and returns at once; call
/// <see cref="Synchronize"/> (or read a buffer back) to wait. Stream order is what makes
/// results of one op safe to use as inputs of the next without waiting in between.
/// One device is meant to be driven from one thread at a time.
/// </summary>
public sealed partial class GpuDevice : IDisposable
{
    /// <summary>The <see cref="Name"/> of a device from <see cref="CreateCpuSimulator"/>.</summary>
    public const string CpuSimulatorName = "ilgpu-cpu";

    /// <summary>The <see cref="Name"/> of a device from <see cref="CreateCuda"/> or <see cref="TryCreateCuda"/>.</summary>
    public const string CudaName = "cuda";
    private const string NoCuda = "cuda: no CUDA driver or NVIDIA GPU found";

    private readonly Context _context;

    private GpuDevice(Context context, Accelerator accelerator, string name, int reductionGroupSize, int maxReductionGroups)
    {
        _context = context;
        Accelerator = accelerator;
        Name = name;
        ReductionGroupSize = reductionGroupSize;
        MaxReductionGroups = maxReductionGroups;
        _reductionScratch = accelerator.Allocate1D<float>(MaxReductionGroups);
    }

    /// <summary><c>cuda</c> or <c>ilgpu-cpu</c>: the device name a tensor carries.</summary>
    public string Name { get; }

    /// <summary>
    /// The ILGPU accelerator underneath: for buffers of other element types (the uint view
    /// <see cref="FillPhiloxWords"/> fills) or kernels of your own on the same stream. Owned by this
    /// device: do not dispose it.
    /// </summary>
    public Accelerator Accelerator { get; }

    // The launch sizes CUDA uses: reductions and batch-norm statistics in groups of 256 threads,
    // at most 1024 groups in pass 1 of Sum/Max (enough to fill an H100 several times over).
    private const int CudaReductionGroupSize = 256, CudaMaxReductionGroups = 1024;

    /// <summary>
    /// ILGPU's CPU accelerator shaped like an NVIDIA GPU: warps of 32 and groups of up to 256
    /// threads, so the GEMM's 16×16-thread groups run unchanged. Reductions use fewer, smaller
    /// groups here (32 threads, at most 64 groups): each simulated group costs milliseconds.
    /// This is the device of <c>ilgpu-cpu</c>; <see cref="CreateCudaLikeSimulator"/> runs CUDA's sizes.
    /// </summary>
    public static GpuDevice CreateCpuSimulator() =>
        CreateSimulator(reductionGroupSize: 32, maxReductionGroups: 64);

    /// <summary>
    /// ILGPU's CPU accelerator launching every kernel with exactly the sizes <see cref="CreateCuda"/>
    /// uses (reduction and batch-norm groups of 256 threads, up to 1024 groups; the GEMM's 16×16
    /// groups; warps of 32; the same static shared memory, which is sized in the kernels), so the
    /// code paths an NVIDIA GPU takes run in tests without one. Slower than
    /// <see cref="CreateCpuSimulator"/>: every reduction group is 256 simulated threads meeting at
    /// barriers. Its <see cref="Name"/> is <c>ilgpu-cpu</c> too: it is the same kind of device.
    /// What it cannot mirror: auto-grouped (one thread per element) kernels run in groups of one
    /// warp here, where CUDA's occupancy calculator picks the group size; those kernels use no
    /// group-level resource, so the group size cannot change their results.
    /// </summary>
    public static GpuDevice CreateCudaLikeSimulator() =>
        CreateSimulator(CudaReductionGroupSize, CudaMaxReductionGroups);

    // Every context flag Scratch sets (today: ILGPU.Algorithms' intrinsics; ILGPU's defaults for
    // optimization level, math mode, debug info and assertions). One place, so the PTX test compiles
    // with the flags the CUDA accelerator gets.
    internal static Context.Builder Configure(Context.Builder builder) => builder.EnableAlgorithms();

    private static GpuDevice CreateSimulator(int reductionGroupSize, int maxReductionGroups)
    {
        var context = Context.Create(builder => Configure(builder
            .CPU(new CPUDevice(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 1))));
        try
        {
            var accelerator = context.CreateCPUAccelerator(0);
            return new GpuDevice(context, accelerator, CpuSimulatorName, reductionGroupSize, maxReductionGroups);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The first CUDA GPU, or false with the reason in <paramref name="whyNot"/>.</summary>
    public static bool TryCreateCuda(out GpuDevice? device, out string? whyNot)
    {
        device = null;
        Context? context = null;
        try
        {
            context = Context.Create(builder => Configure(builder.Cuda()));
            var gpus = context.GetCudaDevices();
            if (gpus.Count == 0)
            {
                context.Dispose();
                whyNot = NoCuda;
                return false;
            }
            var accelerator = gpus[0].CreateAccelerator(context);
            device = new GpuDevice(context, accelerator, CudaName, CudaReductionGroupSize, CudaMaxReductionGroups);
            whyNot = null;
            return true;
        }
        catch (Exception e)
        {
            // Without libcuda ILGPU throws from deep inside its driver bindings; the user only
            // needs to know there is no usable GPU, with ILGPU's words kept for the curious.
            context?.Dispose();
            whyNot = $"{NoCuda} ({e.GetType().Name}: {e.Message})";
            return false;
        }
    }

    /// <summary>The first CUDA GPU; throws <see cref="InvalidOperationException"/> if there is none.</summary>
    public static GpuDevice CreateCuda() =>
        TryCreateCuda(out var device, out var whyNot) ? device! : throw new InvalidOperationException(whyNot);

    /// <summary>True when a CUDA GPU can be opened on this machine.</summary>
    public static bool IsCudaAvailable(out string? whyNot)
    {
        if (!TryCreateCuda(out var device, out whyNot)) return false;
        device!.Dispose();
        return true;
    }

    /// <summary>
    /// A new buffer of <paramref name="length"/> floats on this device, not initialised (see
    /// <see cref="GpuBuffer.Clear"/>). Throws <see cref="ArgumentOutOfRangeException"/> for a negative length.
    /// </summary>
    public GpuBuffer Allocate(long length)
    {
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), $"GpuDevice.Allocate: length {length} is negative.");
        return new GpuBuffer(this, Accelerator.Allocate1D<float>(length));
    }

    /// <summary>A new buffer holding a copy of <paramref name="host"/>.</summary>
    public GpuBuffer Upload(ReadOnlySpan<float> host)
    {
        var buffer = Allocate(host.Length);
        buffer.CopyFromHost(host);
        return buffer;
    }

    /// <summary>Waits until every operation enqueued so far has finished.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <summary>Releases the accelerator and its ILGPU context; buffers and views of this device are unusable afterwards.</summary>
    public void Dispose()
    {
        _reductionScratch.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }

    /// <summary>
    /// <see cref="Name"/>, the accelerator's own name and the reduction launch sizes, e.g.
    /// "cuda (NVIDIA H100 80GB HBM3; reductions 256 × ≤1024)".
    /// </summary>
    public override string ToString() => $"{Name} ({Accelerator.Name}; reductions {ReductionGroupSize} × ≤{MaxReductionGroups})";
}
