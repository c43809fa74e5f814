using Scratch.Kernels.Gpu;

namespace Scratch;

/// <summary>Finds the backend that computes on a device.</summary>
public static class Backends
{
    private static readonly Dictionary<DeviceKind, IBackend> Registered = new() { [DeviceKind.Cpu] = CpuBackend.Instance };
    // The GPU devices are known from the start but created on first use: opening one compiles
    // nothing yet but costs a context (and, for cuda, loading the driver, which may be absent —
    // GpuDevice.CreateCuda then throws its one-line "cuda: no CUDA driver or NVIDIA GPU found",
    // which reaches the caller unchanged).
    private static readonly Dictionary<DeviceKind, Func<IBackend>> Factories = new()
    {
        [DeviceKind.IlgpuCpu] = () => new GpuBackend(Device.IlgpuCpu, GpuDevice.CreateCpuSimulator()),
        [DeviceKind.Cuda] = () => new GpuBackend(Device.Cuda, GpuDevice.CreateCuda()),
    };
    private static readonly Lock Gate = new();

    /// <summary>Lets a device be created on first use (a GPU context is costly and may be absent).</summary>
    public static void RegisterFactory(DeviceKind kind, Func<IBackend> factory)
    {
        lock (Gate) Factories[kind] = factory;
    }

    /// <summary>
    /// Makes <paramref name="backend"/> the one that computes on its device until the returned scope is
    /// disposed, then puts back the one before (neither is disposed). For tests that run the same code
    /// on two configurations of one device: <c>ilgpu-cpu</c> with CUDA's launch sizes
    /// (<c>GpuDevice.CreateCudaLikeSimulator</c>). Tensors made under one must not be used under the other.
    /// </summary>
    public static IDisposable Use(IBackend backend)
    {
        var kind = backend.Device.Kind;
        lock (Gate)
        {
            bool had = Registered.TryGetValue(kind, out var previous);
            Registered[kind] = backend;
            return new Restore(() =>
            {
                lock (Gate)
                {
                    if (had) Registered[kind] = previous!;
                    else Registered.Remove(kind);
                }
            });
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        private Action? _restore = restore;
        public void Dispose() => Interlocked.Exchange(ref _restore, null)?.Invoke();
    }

    /// <summary>
    /// The backend that computes on <paramref name="device"/>, created on first use (for cuda this
    /// loads the driver). Every tensor op goes through it; user code rarely needs it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No backend is registered for the device.</exception>
    public static IBackend For(Device device)
    {
        lock (Gate)
        {
            if (Registered.TryGetValue(device.Kind, out var backend)) return backend;
            if (!Factories.TryGetValue(device.Kind, out var factory))
                throw new InvalidOperationException($"device {device.Name}: no backend is available for it in this build");
            backend = factory();
            Registered[device.Kind] = backend;
            return backend;
        }
    }
}
