namespace Scratch;

/// <summary>Finds the backend that computes on a device.</summary>
public static class Backends
{
    private static readonly Dictionary<DeviceKind, IBackend> Registered = new() { [DeviceKind.Cpu] = CpuBackend.Instance };
    private static readonly Dictionary<DeviceKind, Func<IBackend>> Factories = new();
    private static readonly Lock Gate = new();

    /// <summary>Lets a device be created on first use (a GPU context is costly and may be absent).</summary>
    public static void RegisterFactory(DeviceKind kind, Func<IBackend> factory)
    {
        lock (Gate) Factories[kind] = factory;
    }

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
