using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The patch matrix of a convolution and its adjoint. im2col lays every receptive field out as a
/// column: col (C·KH·KW, N·OH·OW), row (c, p, q), column (n, i, j) holds
/// x[n, c, i·s − pad + p·d, j·s − pad + q·d] (0 in the padding). A convolution is then one GEMM,
/// y = W·col, with W viewed as (O, C·KH·KW). col2im adds a column matrix back into the image —
/// the transpose of im2col, so the input gradient is col2im(Wᵀ·dy).
/// </summary>
/// <remarks>
/// Both go through <see cref="PhasePlanes"/>: a padded copy of the images with the columns split by
/// stride phase, in which each (row of col, image, output row i) is one contiguous run of OW
/// elements. im2col is then a copy of runs and col2im an addition of runs, whole vectors at a time
/// (<see cref="Runs"/>), instead of a per-element gather with a padding test: 1.2–2.5 → 1.0–1.1 ms
/// (im2col) and 1.6–3.6 → 0.9–1.3 ms (col2im) per batch at the conv VAE's 32→64 layer (docs/benchmarks-log.md,
/// "How the CPU convolution works").
/// </remarks>
internal static class Im2Col
{
    // x: (N, C, H, W) → col: (C·KH·KW, N·OH·OW)
    public static void Gather<T>(Conv2dShape s, ReadOnlySpan<T> x, Span<T> col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        if (x.Length < s.InputLength || col.Length < (long)s.PatchSize * columns) throw new ArgumentException($"im2col: buffers too short for {s}");
        var planes = new PhasePlanes(s);
        var buffer = RentPlanes<T>(s, planes);
        try
        {
            planes.Split(s, x, buffer);
            ref T q0 = ref MemoryMarshal.GetArrayDataReference(buffer);
            ref T col0 = ref MemoryMarshal.GetReference(col);
            int ow = s.OutWidth, step = planes.RunStep(s);
            nint colLength = col.Length, at = 0;
            // Rows of col in order (c, p, q), each row's runs in order (n, i): col is written front to
            // back, which is what lets a run's last vector spill into the next run (Runs.Copy).
            for (int c = 0; c < s.InChannels; c++)
            for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
            {
                int start = planes.RunStart(s, p, q);
                for (int n = 0; n < s.Batch; n++)
                {
                    ref T first = ref Unsafe.Add(ref q0, (nint)(n * s.InChannels + c) * planes.PlaneLength + start);
                    Runs.Copy(ref first, step, ref Unsafe.Add(ref col0, at), ow, s.OutHeight, colLength - at);
                    at += spatial;
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    // col: (C·KH·KW, N·OH·OW) → dx: (N, C, H, W), overwritten. For every pixel the runs add in the
    // order (p, q) of its taps, starting from +0, as a per-element col2im into a cleared dx would.
    public static void Scatter<T>(Conv2dShape s, ReadOnlySpan<T> col, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        if (dx.Length < s.InputLength || col.Length < (long)s.PatchSize * columns) throw new ArgumentException($"col2im: buffers too short for {s}");
        var planes = new PhasePlanes(s);
        var buffer = RentPlanes<T>(s, planes);
        try
        {
            int length = s.Batch * s.InChannels * planes.PlaneLength;
            buffer.AsSpan(0, length).Clear();
            ref T q0 = ref MemoryMarshal.GetArrayDataReference(buffer);
            ref T col0 = ref MemoryMarshal.GetReference(col);
            int ow = s.OutWidth, step = planes.RunStep(s);
            nint colLength = col.Length, at = 0;
            for (int c = 0; c < s.InChannels; c++)
            for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
            {
                int start = planes.RunStart(s, p, q);
                for (int n = 0; n < s.Batch; n++)
                {
                    ref T first = ref Unsafe.Add(ref q0, (nint)(n * s.InChannels + c) * planes.PlaneLength + start);
                    Runs.Add(ref Unsafe.Add(ref col0, at), colLength - at, ref first, step, ow, s.OutHeight);
                    at += spatial;
                }
            }
            planes.Merge(s, buffer.AsSpan(0, length), dx);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    // The planes of every image of the group, plus one vector of slack: a run's last vector may read
    // (Copy) or add zeros to (Add) a few elements past the last plane.
    private static T[] RentPlanes<T>(Conv2dShape s, PhasePlanes planes) =>
        ArrayPool<T>.Shared.Rent(s.Batch * s.InChannels * planes.PlaneLength + Runs.Slack<T>());
}
