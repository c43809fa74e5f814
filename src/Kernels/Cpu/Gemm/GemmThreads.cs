using System.Numerics;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Splits C into one rectangle per thread — a band of rows or of columns, cut on micro-tile
/// boundaries — and runs the blocked loop nest on each. Threads never share an element of C,
/// and each element's sum runs over the same k blocks in the same order whatever the cut, so
/// 1 and 2 threads give bitwise-equal results.
/// </summary>
internal static class GemmThreads
{
    // Below this many multiply-adds per thread, waking a second thread costs more than it saves
    // (a worker's wake-up is some microseconds; 2^18 multiply-adds take ~2–5 µs on one core).
    private const long MinMulAddsPerThread = 1L << 18;

    public static void Run<T, TKernel>(in GemmProblem<T> g, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        var blk = Blocking.For(System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), g.M, g.N, g.K, mr, nr);
        long mulAdds = (long)g.M * g.N * g.K;
        int threads = (int)Math.Clamp(mulAdds / MinMulAddsPerThread, 1, maxThreads);
        int tilesM = (g.M + mr - 1) / mr, tilesN = (g.N + nr - 1) / nr;
        threads = Math.Min(threads, Math.Max(tilesM, tilesN));
        if (threads <= 1)
        {
            GemmDriver.Run<T, TKernel>(g, blk, 0, g.M, 0, g.N);
            return;
        }

        RunSplit<T, TKernel>(g, blk, threads, tilesM, tilesN);
    }

    private static void RunSplit<T, TKernel>(in GemmProblem<T> g, Blocking blk, int threads, int tilesM, int tilesN)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        // Cut the dimension whose tiles share out most evenly; on a tie, the columns (each
        // thread then packs only its own columns of B, the larger operand in a layer's forward).
        bool byRows = Balance(tilesM, threads) > Balance(tilesN, threads);
        var work = SplitWork<T, TKernel>.OfThisThread;
        work.Problem = g;
        work.Blk = blk;
        work.Threads = threads;
        work.ByRows = byRows;
        work.Tiles = byRows ? tilesM : tilesN;
        WorkerPool.Run(work, threads);
    }

    // One band of C per part, on the engine's worker pool. One instance per calling thread,
    // refilled per call: no closure, no allocation per GEMM.
    private sealed class SplitWork<T, TKernel> : ParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        [ThreadStatic] private static SplitWork<T, TKernel>? _ofThisThread;
        public static SplitWork<T, TKernel> OfThisThread => _ofThisThread ??= new();

        public GemmProblem<T> Problem;
        public Blocking Blk;
        public int Threads, Tiles;
        public bool ByRows;

        public override void Run(int t)
        {
            int unit = ByRows ? TKernel.MR : TKernel.NR;
            int from = Share(Tiles, Threads, t) * unit, to = Share(Tiles, Threads, t + 1) * unit;
            if (ByRows) GemmDriver.Run<T, TKernel>(Problem, Blk, from, Math.Min(to, Problem.M), 0, Problem.N);
            else GemmDriver.Run<T, TKernel>(Problem, Blk, 0, Problem.M, from, Math.Min(to, Problem.N));
        }
    }

    // First tile of thread t when `tiles` are dealt out to `threads` as evenly as possible.
    private static int Share(int tiles, int threads, int t) => (int)((long)tiles * t / threads);

    // Useful tiles / tiles the slowest thread must run, times threads: 1 = perfectly even.
    private static double Balance(int tiles, int threads) =>
        (double)tiles / (threads * ((tiles + threads - 1) / threads));
}
