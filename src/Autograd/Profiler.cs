using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Scratch.Autograd;

/// <summary>
/// Where a training step spends its time, op by op (opt-in, like Anomaly mode). A forward is
/// charged with the time since the previous op was recorded on this thread — eager ops compute
/// right before they record — and a backward with its own rule's time.
/// <c>using (Profiler.Scope()) { step }</c>, then <see cref="Report"/>.
/// </summary>
public static class Profiler
{
    [ThreadStatic] private static Dictionary<string, (double Ms, int Calls)>? _times;
    [ThreadStatic] private static long _last;

    /// <summary>True inside a <see cref="Scope"/> on this thread, while op times are being collected.</summary>
    public static bool IsEnabled => _times != null;

    /// <summary>
    /// Starts timing every op recorded on this thread, discarding any unfinished scope; disposing the
    /// handle stores the totals in <see cref="Results"/>. Ops under <see cref="NoGrad"/> are timed too.
    /// </summary>
    /// <returns>The handle whose Dispose ends the scope and publishes <see cref="Results"/>.</returns>
    public static IDisposable Scope()
    {
        _times = new Dictionary<string, (double, int)>();
        _last = Stopwatch.GetTimestamp();
        return new ScopeHandle(Close);
    }

    /// <summary>Milliseconds and calls per "op (forward)" / "op (backward)", most expensive first.</summary>
    public static IReadOnlyList<(string Op, double Milliseconds, int Calls)> Results { get; private set; } = [];

    internal static void Forward(string op)
    {
        if (_times == null) return;
        long now = Stopwatch.GetTimestamp();
        Add(op + " (forward)", now - _last);
        _last = now;
    }

    internal static long BackwardStart() => _times == null ? 0 : Stopwatch.GetTimestamp();

    internal static void BackwardEnd(string op, long start)
    {
        if (_times == null) return;
        long now = Stopwatch.GetTimestamp();
        Add(op + " (backward)", now - start);
        _last = now;
    }

    private static void Add(string key, long ticks)
    {
        var times = _times!;
        var (ms, calls) = times.GetValueOrDefault(key);
        times[key] = (ms + ticks * 1000.0 / Stopwatch.Frequency, calls + 1);
    }

    /// <summary>The last scope's results as a table.</summary>
    public static string Report()
    {
        var sb = new StringBuilder();
        double total = Results.Sum(r => r.Milliseconds);
        foreach (var (op, ms, calls) in Results)
            sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-32} {1,9:F3} ms {2,6} calls {3,6:P1}", op, ms, calls, ms / total));
        return sb.ToString();
    }

    private static void Close()
    {
        if (_times == null) return;
        Results = _times.Select(kv => (kv.Key, kv.Value.Ms, kv.Value.Calls)).OrderByDescending(r => r.Item2).ToArray();
        _times = null;
    }
}
