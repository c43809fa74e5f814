using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// Which types a piece of code allocates, from the runtime's own sampling: the GC raises an
/// AllocationTick event each time about 100 KB has been allocated, naming the type of the object
/// that crossed the mark, so over many steps the ticks per type are proportional to its bytes.
/// An in-process EventListener: no dotnet-trace needed.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventId != AllocationTickEventId || e.Payload is null || e.PayloadNames is null) return;
        int typeIndex = e.PayloadNames.IndexOf("TypeName"), amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0 || amountIndex < 0) return;
        string type = e.Payload[typeIndex] as string ?? "?";
        long amount = Convert.ToInt64(e.Payload[amountIndex]);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>The types with the most sampled bytes, as bytes per step (an estimate, ±100 KB / steps).</summary>
    public IEnumerable<(string Type, double BytesPerStep)> Top(int count, int steps) =>
        _bytesByType.OrderByDescending(kv => kv.Value).Take(count).Select(kv => (kv.Key, (double)kv.Value / steps));
}
