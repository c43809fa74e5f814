using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Scratch.Kernels.Cpu.Threading;

/// <summary>
/// The engine's own parallel runtime: <see cref="CpuThreads.Count"/> − 1 worker threads that the
/// CPU kernels hand parts of a region to, with no allocation per region and no spinning between
/// regions. Replaces Parallel.For in the hot paths (GEMM, reductions, Adam).
/// </summary>
/// <remarks>
/// A region: the caller publishes the work, wakes up to parts − 1 workers, and then claims parts
/// itself from a shared counter, like the workers do (Interlocked.Increment), so a worker that the
/// OS schedules late costs nothing: the caller does its parts. When the caller runs out of parts it
/// cancels every worker that has not started yet and waits only for those that have.
/// Waiting: after a region a worker watches for the next one for 100 µs, then sleeps in the
/// kernel (a ManualResetEventSlim) instead of spinning on against libtorch's, the user's or another
/// process's threads (libgomp's workers spin for milliseconds after each region; on a shared
/// 2-core machine that halves the other program's speed).
/// Nested regions (a part that calls a parallel kernel) and regions started by a second user
/// thread while one runs are run inline on the calling thread: same parts, same results.
/// Worker state: Idle → Requested (by the caller) → Running (by the worker) → Idle, or
/// Requested → Idle when the caller cancels first; each transition is one compare-exchange, so a
/// worker and the caller never both believe they own it.
/// </remarks>
internal static class WorkerPool
{
    private const int Idle = 0, Requested = 1, Running = 2;
    private const int SpinBeforeSleep = 20;   // a few µs: a region's parts usually end within that
    // After a region a worker watches for the next one this long before it sleeps (see Worker).
    private static readonly long WatchTicks = Stopwatch.Frequency / 10_000;   // 100 µs

    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    [ThreadStatic] private static bool _inRegion;

    // The region in flight (written by the caller before any worker is requested).
    private static ParallelWork? _work;
    private static int _parts;
    private static int _next;
    private static ExceptionDispatchInfo? _failure;

    /// <summary>Runs work.Run(part) for every part in [0, parts) on up to <see cref="CpuThreads.Count"/> threads.</summary>
    public static void Run(ParallelWork work, int parts)
    {
        int helpers = Math.Min(parts, CpuThreads.Count) - 1;
        if (helpers <= 0 || _inRegion || !Monitor.TryEnter(Gate))
        {
            for (int p = 0; p < parts; p++) work.Run(p);
            return;
        }
        try
        {
            _inRegion = true;
            EnsureWorkers(helpers);
            _work = work;
            _parts = parts;
            _failure = null;
            Volatile.Write(ref _next, 0);
            for (int i = 0; i < helpers; i++) _workers[i].Request();

            RunParts();

            for (int i = 0; i < helpers; i++) _workers[i].CancelOrAwait();
            _work = null;
            _failure?.Throw();
        }
        finally
        {
            _inRegion = false;
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Worker threads started so far (they start on first use and then stay).</summary>
    internal static int WorkerCount => _workers.Length;

    /// <summary>
    /// Bytes the workers have allocated on the managed heap, as of their last finished region: with
    /// the caller's own count, what a parallel kernel costs, without the test host's other threads.
    /// </summary>
    internal static long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (var w in _workers) sum += Volatile.Read(ref w.AllocatedBytes);
            return sum;
        }
    }

    // Claims and runs parts until none is left; called by the caller and by each running worker.
    private static void RunParts()
    {
        var work = _work!;
        int parts = _parts;
        int p;
        while ((p = Interlocked.Increment(ref _next) - 1) < parts)
        {
            try { work.Run(p); }
            catch (Exception e) { Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null); }
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return;
        var grown = new Worker[count];
        Array.Copy(_workers, grown, _workers.Length);
        for (int i = _workers.Length; i < count; i++) grown[i] = new Worker(i);
        _workers = grown;
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, SpinBeforeSleep);
        private readonly ManualResetEventSlim _finished = new(true, SpinBeforeSleep);
        private int _state = Idle;
        public long AllocatedBytes;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Scratch CPU worker {index + 1}" };
            thread.Start();
        }

        public void Request()
        {
            _finished.Reset();
            Volatile.Write(ref _state, Requested);
            _wake.Set();
        }

        // After the caller has run out of parts: a worker that never started is told not to; one
        // that is running is waited for (it may still be inside its last part).
        public void CancelOrAwait()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Requested) == Requested) return;
            _finished.Wait();
        }

        private void Loop()
        {
            _inRegion = true;   // a part that calls a parallel kernel runs it inline
            while (true)
            {
                if (!WatchForRequest()) _wake.Wait();
                _wake.Reset();
                // A stale wake-up (the caller cancelled us, then we woke) finds Idle and sleeps again.
                if (Interlocked.CompareExchange(ref _state, Running, Requested) != Requested) continue;
                RunParts();
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                Volatile.Write(ref _state, Idle);
                _finished.Set();
            }
        }

        // After a region, watch the state for up to 100 µs before sleeping. Measured on the 2-core
        // Zen 5 VM: a sleeping worker, woken through the kernel, starts its part 28–37 µs after
        // the request (median), so it missed most regions of a few tens of µs entirely and came
        // late to every other; a watching one starts within 0.5 µs. In a training step the next
        // region mostly follows within that window (one GEMM after another, short elementwise ops
        // between). The watch is bounded: after 100 µs without work the worker sleeps, so between
        // steps, or beside another program, it does not hold the core the way libgomp's
        // spin-waiting workers do. The caller's _wake.Set() may follow the request seen here:
        // that stale wake-up finds the state Idle and the worker sleeps again.
        private bool WatchForRequest()
        {
            long until = Stopwatch.GetTimestamp() + WatchTicks;
            do
            {
                if (Volatile.Read(ref _state) == Requested) return true;
                Thread.SpinWait(20);
            }
            while (Stopwatch.GetTimestamp() < until);
            return false;
        }
    }
}
