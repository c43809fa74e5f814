namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Cache block sizes (Goto/BLIS): KC × NR micro-panels of B and MC × KC blocks of A sized so the
/// micro-kernel's operands come from L1/L2, and a KC × NC panel of B that stays in L2/L3,
/// derived from the cache sizes the OS reports (<see cref="CacheSizes"/>).
/// </summary>
/// <remarks>
/// The model (Low et al., "Analytical modeling is enough for high-performance BLIS", 2016):
/// - KC: the KC × NR micro-panel of B is reused by every MR-row tile of the A block, so it must
///   stay in L1 while the A micro-panels stream from L2 (each of their values is read once, as a
///   broadcast): it gets the L1d (Zen 4, 32 KiB, 12 × 32 kernel: KC 256, the best of 128–384
///   when that was tried by hand; Zen 5, 48 KiB: 384; the 6 × 16 AVX2 kernel: twice that).
///   Clamped to [128, 512]: shorter k blocks re-read C too often, longer ones gain nothing.
/// - MC: the MC × KC block of A stays in half the L2, the rest holds B's panel as it streams.
/// - NC: the KC × NC panel of B takes half this core's share of the L3.
/// A dimension is cut into equal blocks (784 = 3 × 262, not 2 × 384 + 16): a thin last block
/// would pay the full cost of touching C for little work. The cut of k depends on k and the
/// machine alone, never on the thread count, so every element of C is summed in the same order
/// on 1 or 2 threads: that is what makes the result bitwise reproducible.
/// </remarks>
internal readonly record struct Blocking(int KC, int MC, int NC)
{
    public static Blocking For(int elementSize, int m, int n, int k, int mr, int nr) =>
        For(CacheSizes.OfThisMachine, elementSize, m, n, k, mr, nr);

    public static Blocking For(CacheSizes cache, int elementSize, int m, int n, int k, int mr, int nr)
    {
        int kcMax = (int)Math.Clamp(cache.L1Data / (nr * elementSize), 128, 512);
        int kc = EvenBlock(k, kcMax, 1);
        int mcMax = (int)Math.Clamp(cache.L2 / 2 / ((long)kc * elementSize) / mr * mr, mr, 4096);
        int ncMax = (int)Math.Clamp(cache.L3PerCore / 2 / ((long)kc * elementSize) / nr * nr, nr, 16384);
        return new Blocking(kc, EvenBlock(m, mcMax, mr), EvenBlock(n, ncMax, nr));
    }

    // The smallest number of blocks of at most `max`, made equal, rounded up to a multiple of `unit`.
    private static int EvenBlock(int length, int max, int unit)
    {
        if (length <= 0) return unit;
        int blocks = (length + max - 1) / max;
        int size = (length + blocks - 1) / blocks;
        return (size + unit - 1) / unit * unit;
    }
}
