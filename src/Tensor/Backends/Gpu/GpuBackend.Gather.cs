using Scratch.Kernels.Gpu;

namespace Scratch;

// Making a strided view dense on the device: transposes, slices, and broadcasts (stride 0).
public sealed partial class GpuBackend
{
    /// <summary>The most dimensions one strided-copy kernel launch walks.</summary>
    private const int KernelRank = 4;

    /// <inheritdoc/>
    public void Gather(Storage src, int offset, int[] shape, int[] strides, Buf dst)
    {
        if (dst.Length == 0) return;
        var (sizes, steps) = Collapse(shape, strides);
        var from = Storage(new Buf(src, offset, 0)).Buffer;
        var to = View(dst);
        // Ranks above 4 that do not collapse: one launch per index of the leading dimensions,
        // each copying a dense block of the last four. Tensors here rarely go past rank 3.
        int lead = Math.Max(sizes.Length - KernelRank, 0);
        int block = 1;
        for (int d = lead; d < sizes.Length; d++) block *= sizes[d];
        var index = new int[lead];
        for (int written = 0; written < dst.Length; written += block)
        {
            long start = offset;
            for (int d = 0; d < lead; d++) start += (long)index[d] * steps[d];
            Gpu.StridedCopy(from.Slice(start, from.Length - start), sizes.AsSpan(lead), steps.AsSpan(lead), to.SubView(written, block));
            for (int d = lead - 1; d >= 0; d--)
            {
                if (++index[d] < sizes[d]) break;
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// The same walk with fewer dimensions: size-1 dimensions dropped, and a dimension merged into
    /// the next when stepping over the whole next one lands where it steps (stride = next stride ·
    /// next size). A contiguous (B, H, W) becomes one run; a transposed matrix stays two dimensions.
    /// </summary>
    internal static (int[] Sizes, long[] Strides) Collapse(int[] shape, int[] strides)
    {
        var sizes = new List<int>();
        var steps = new List<long>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            int last = sizes.Count - 1;
            if (last >= 0 && steps[last] == (long)strides[d] * shape[d])
            {
                sizes[last] *= shape[d];
                steps[last] = strides[d];
            }
            else
            {
                sizes.Add(shape[d]);
                steps.Add(strides[d]);
            }
        }
        return (sizes.ToArray(), steps.ToArray());
    }
}
