using Scratch.Kernels.Cpu.Gemm;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// How a convolution splits its batch: into groups of images whose patch matrix stays in the L2
/// cache, and (for the weight gradient) into a fixed number of chunks of groups that each sum their
/// own partial gradient. Both depend on the shape and the machine's cache size alone, never on the
/// thread count, so 1 and N threads do the same arithmetic in the same order (bitwise equal results).
/// </summary>
/// <remarks>
/// Why groups: the whole batch's patch matrix is (C·KH·KW, N·OH·OW) — 12.8 MB at the conv VAE's
/// 32→64 layer, batch 128 — so im2col wrote it to memory and the GEMM read it back from memory, twice
/// (forward and weight gradient), plus col2im's pass over a matrix of the same size. A group's patch
/// matrix (a few hundred KB) is written by im2col and read by the GEMM while it is still in L2.
/// Why not one image per group: a GEMM with N = OH·OW = 49 columns wastes most of its last register
/// tile and packs W once per 49 columns; a few images per group keep N in the hundreds.
/// </remarks>
internal static class ImageGroups
{
    // The group's patch matrix and output together fill one core's L2. Measured at the conv VAE's
    // 32→64 layer, one thread, Zen 5 (1 MB L2, 113 KB per image), fwd + both gradients, thread CPU
    // time: G = 4 (half of L2) 16.0–16.8 ms, G = 8 15.1–16.2, G = 16 14.7–16.1, G = 32 16.3–17.3,
    // G = 64 16.8–19.0: bigger GEMMs pay until the patches spill well past L2 (the GEMM's own packing
    // streams them through L2 panel by panel, so a little over is fine; 4× over is not).
    private static long Budget => CacheSizes.OfThisMachine.L2;

    // A chunk of the weight gradient should do much more GEMM work than the partial it adds at the
    // end: at least this many output pixels (the GEMM's k) per chunk.
    private const int MinColumnsPerChunk = 256;

    // At most this many partial weight gradients: enough parts to balance a few threads, few enough
    // that summing them (O·C·KH·KW each) stays a small fraction of the time.
    private const int MaxWeightChunks = 8;

    /// <summary>Images per group: as many as fit in the L2 budget with their patches and outputs, at least 1.</summary>
    public static int ImagesPerGroup(Conv2dShape s, int elementSize)
    {
        long perImage = (long)(s.PatchSize + s.OutChannels) * s.OutHeight * s.OutWidth * elementSize;
        long fit = perImage <= 0 ? s.Batch : Budget / perImage;
        return (int)Math.Clamp(fit, 1, Math.Max(1, s.Batch));
    }

    public static int Count(int batch, int imagesPerGroup) => (batch + imagesPerGroup - 1) / imagesPerGroup;

    /// <summary>How many partial weight gradients: one per chunk of consecutive groups.</summary>
    public static int WeightChunks(Conv2dShape s, int imagesPerGroup)
    {
        int groups = Count(s.Batch, imagesPerGroup);
        long columns = (long)s.Batch * s.OutHeight * s.OutWidth;
        long byWork = Math.Max(1, columns / MinColumnsPerChunk);
        return (int)Math.Min(Math.Min(groups, MaxWeightChunks), byWork);
    }
}
