namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Cache block sizes (Goto/BLIS): KC × NR micro-panels of B and MC × KC blocks of A sized so the
/// micro-kernel's operands come from L1/L2, and a KC × NC panel of B that stays in L2/L3.
/// </summary>
/// <remarks>
/// A dimension is cut into equal blocks (784 = 4 × 196, not 3 × 256 + 16): a thin last block
/// would pay the full cost of touching C for little work. The cut of k depends on k alone,
/// never on the thread count, so every element of C is summed in the same order on 1 or 2
/// threads: that is what makes the result bitwise reproducible.
/// </remarks>
internal readonly record struct Blocking(int KC, int MC, int NC)
{
    // Zen 4, per core: L1d 32 KiB, L2 1 MiB. KC = 256 floats (128 doubles): the KC × 32 micro-panel
    // of B (≤ 32 KiB) is reused by every MR-row tile of the A block while it sits in L1/L2, and the
    // 12 × KC micro-panel of A (12 KiB) streams from L2. Tried here: KC 128, 192, 384, MC 96 and
    // the ir-outside-jr loop order; none was measurably better on this (busy) machine.
    private const int KcBytes = 1024;
    private const int McPanels = 16;       // MC = 16 micro-panels of A: ≤ 192 × KC, ~200 KiB in L2
    private const int NcMax = 2048;        // KC × NC of B: ≤ 2 MiB, in L2/L3

    public static Blocking For(int elementSize, int m, int n, int k, int mr, int nr)
    {
        int kc = EvenBlock(k, KcBytes / elementSize, 1);
        int mc = EvenBlock(m, McPanels * mr, mr);
        int nc = EvenBlock(n, NcMax, nr);
        return new Blocking(kc, mc, nc);
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
