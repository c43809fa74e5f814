using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Tests;

// The engine's worker pool: every part runs exactly once (back to back and with pauses around the
// workers' watch window), errors reach the caller, nested regions do not deadlock, and a region
// allocates nothing once the workers exist.
public class WorkerPoolTests
{
    private sealed class CountingWork : ParallelWork
    {
        public int[] Runs = [];
        public int ThrowAt = -1;

        public override void Run(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (part == ThrowAt) throw new InvalidOperationException($"part {part} failed");
        }
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(2, 37)]
    [TestCase(4, 5)]
    public void EveryPart_RunsExactlyOnce_OverManyRegions(int threads, int parts)
    {
        var work = new CountingWork { Runs = new int[parts] };
        using (CpuThreads.Use(threads))
            for (int region = 0; region < 2000; region++) WorkerPool.Run(work, parts);
        Assert.That(work.Runs, Is.All.EqualTo(2000));
    }

    // Regions separated by pauses below, around and beyond the workers' 100 µs watch: a worker then
    // picks a region up while watching, just as it gives up, or after sleeping (with the caller's
    // wake-up arriving after the worker already saw the request, a stale wake-up the next region
    // must survive). Each region's parts still run exactly once, and no region hangs.
    [TestCase(0)]
    [TestCase(50)]
    [TestCase(100)]
    [TestCase(150)]
    [TestCase(400)]
    public void EveryPart_RunsExactlyOnce_WithPausesAroundTheWatch(int pauseMicroseconds)
    {
        var work = new CountingWork { Runs = new int[3] };
        long pause = System.Diagnostics.Stopwatch.Frequency * pauseMicroseconds / 1_000_000;
        using (CpuThreads.Use(2))
            for (int region = 0; region < 300; region++)
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + pause + region % 7 * pause / 10;
                while (System.Diagnostics.Stopwatch.GetTimestamp() < until) { }
                WorkerPool.Run(work, 3);
            }
        Assert.That(work.Runs, Is.All.EqualTo(300));
    }

    [Test]
    public void AFailingPart_ThrowsOnTheCaller_AndThePoolStillWorks()
    {
        var work = new CountingWork { Runs = new int[8], ThrowAt = 5 };
        using (CpuThreads.Use(2))
        {
            var e = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(work, 8));
            Assert.That(e!.Message, Does.Contain("part 5"));
            work.ThrowAt = -1;
            WorkerPool.Run(work, 8);
        }
        Assert.That(work.Runs, Is.All.EqualTo(2));
    }

    private sealed class NestingWork : ParallelWork
    {
        public readonly CountingWork Inner = new() { Runs = new int[4] };
        public override void Run(int part) => WorkerPool.Run(Inner, 4);
    }

    [Test]
    public void ANestedRegion_RunsInline()
    {
        var work = new NestingWork();
        using (CpuThreads.Use(2)) WorkerPool.Run(work, 3);
        Assert.That(work.Inner.Runs, Is.All.EqualTo(3));
    }

    [Test]
    public void ARegion_AllocatesNothing_OnceTheWorkersExist()
    {
        var work = new CountingWork { Runs = new int[2] };
        using (CpuThreads.Use(2))
        {
            for (int i = 0; i < 100; i++) WorkerPool.Run(work, 2);
            long caller = GC.GetAllocatedBytesForCurrentThread(), workers = WorkerPool.WorkerAllocatedBytes;
            for (int i = 0; i < 1000; i++) WorkerPool.Run(work, 2);
            caller = GC.GetAllocatedBytesForCurrentThread() - caller;
            workers = WorkerPool.WorkerAllocatedBytes - workers;
            // Not zero: the first time a thread really blocks, ManualResetEventSlim creates its lock
            // object (24 bytes, once). Anything per call would be over 100 times that.
            Assert.That(caller + workers, Is.LessThan(256), $"bytes allocated over 1000 regions: caller {caller}, workers {workers}");
        }
    }
}
