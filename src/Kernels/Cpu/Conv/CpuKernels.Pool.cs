using System.Numerics;

namespace Scratch.Kernels.Cpu;

// Max and average pooling, NCHW, PyTorch's semantics. These are plain loops and are their own
// reference: pooling reads each input a few times and does no arithmetic worth vectorising at the
// sizes of this project (the tests hold them to a brute-force definition).
public static partial class CpuKernels
{
    /// <summary>
    /// x: (N, C, H, W) → y: (N, C, OH, OW), argmax: (N, C, OH, OW) = the flat index r·W + c of the
    /// winner inside its (H, W) plane, stored in T (exact below 2^24 elements per plane for float).
    /// Padding counts as −∞; the first maximum in row-major window order wins a tie; NaN wins, as in PyTorch.
    /// Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a span shorter than s requires.
    /// </summary>
    public static void MaxPool2dForward<T>(Pool2dShape s, ReadOnlySpan<T> x, Span<T> y, Span<T> argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPool("max_pool2d", s, x.Length, y.Length);
        CheckAtLeast("max_pool2d", s.OutputLength, argmax.Length, "argmax");
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        {
            var src = x.Slice(nc * plane, plane);
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int r0 = Math.Max(i * s.StrideH - s.PadH, 0), r1 = Math.Min(i * s.StrideH - s.PadH + s.KernelH, s.Height);
                int c0 = Math.Max(j * s.StrideW - s.PadW, 0), c1 = Math.Min(j * s.StrideW - s.PadW + s.KernelW, s.Width);
                T best = T.NegativeInfinity;
                int bestIndex = r0 * s.Width + c0;
                // A NaN wins and ends the scan after its row (a later NaN in that row takes over), as the
                // GPU kernel does. (The scan once ended by setting its row past the window, so the rest of
                // that row was read from the row below — past the plane in the last window: IndexOutOfRange.)
                bool sawNaN = false;
                for (int r = r0; r < r1 && !sawNaN; r++)
                for (int c = c0; c < c1; c++)
                {
                    T v = src[r * s.Width + c];
                    if (v > best || T.IsNaN(v))
                    {
                        (best, bestIndex) = (v, r * s.Width + c);
                        sawNaN |= T.IsNaN(v);
                    }
                }
                int at = (nc * oh + i) * ow + j;
                y[at] = best;
                argmax[at] = T.CreateTruncating(bestIndex);
            }
        }
    }

    /// <summary>
    /// dy: (N, C, OH, OW), argmax: (N, C, OH, OW) as MaxPool2dForward wrote it → dx: (N, C, H, W), overwritten:
    /// each dy is added to its window's winner. Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a span shorter than s requires. argmax is not checked.
    /// </summary>
    public static void MaxPool2dBackward<T>(Pool2dShape s, ReadOnlySpan<T> dy, ReadOnlySpan<T> argmax, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPool("max_pool2d backward", s, dx.Length, dy.Length);
        int outPlane = s.OutHeight * s.OutWidth, plane = s.Height * s.Width;
        dx[..s.InputLength].Clear();
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        for (int k = 0; k < outPlane; k++)
        {
            int at = nc * outPlane + k;
            dx[nc * plane + int.CreateTruncating(argmax[at])] += dy[at];
        }
    }

    /// <summary>
    /// x: (N, C, H, W) → y: (N, C, OH, OW): the window mean with the padding counted as zeros
    /// (PyTorch's count_include_pad = true: the divisor is always KH·KW). Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a span shorter than s requires.
    /// </summary>
    public static void AvgPool2dForward<T>(Pool2dShape s, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPool("avg_pool2d", s, x.Length, y.Length);
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        T divisor = T.CreateTruncating(s.KernelH * s.KernelW);
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        {
            var src = x.Slice(nc * plane, plane);
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int r0 = Math.Max(i * s.StrideH - s.PadH, 0), r1 = Math.Min(i * s.StrideH - s.PadH + s.KernelH, s.Height);
                int c0 = Math.Max(j * s.StrideW - s.PadW, 0), c1 = Math.Min(j * s.StrideW - s.PadW + s.KernelW, s.Width);
                T sum = T.Zero;
                for (int r = r0; r < r1; r++)
                for (int c = c0; c < c1; c++) sum += src[r * s.Width + c];
                y[(nc * oh + i) * ow + j] = sum / divisor;
            }
        }
    }

    /// <summary>dy: (N, C, OH, OW) → dx: (N, C, H, W), overwritten: dy / (KH·KW) added to every element of its window. Throws <see cref="ArgumentException"/> for an invalid geometry (kernel or stride not positive, padding negative or more than half the kernel, OutHeight or OutWidth ≤ 0) or a span shorter than s requires.</summary>
    public static void AvgPool2dBackward<T>(Pool2dShape s, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPool("avg_pool2d backward", s, dx.Length, dy.Length);
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        T divisor = T.CreateTruncating(s.KernelH * s.KernelW);
        dx[..s.InputLength].Clear();
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        {
            var dst = dx.Slice(nc * plane, plane);
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int r0 = Math.Max(i * s.StrideH - s.PadH, 0), r1 = Math.Min(i * s.StrideH - s.PadH + s.KernelH, s.Height);
                int c0 = Math.Max(j * s.StrideW - s.PadW, 0), c1 = Math.Min(j * s.StrideW - s.PadW + s.KernelW, s.Width);
                T g = dy[(nc * oh + i) * ow + j] / divisor;
                for (int r = r0; r < r1; r++)
                for (int c = c0; c < c1; c++) dst[r * s.Width + c] += g;
            }
        }
    }

    private static void CheckPool(string op, Pool2dShape s, int inputLength, int outputLength)
    {
        if (s.Batch < 0 || s.Channels < 0 || s.KernelH <= 0 || s.KernelW <= 0 || s.StrideH <= 0 || s.StrideW <= 0
            || s.PadH < 0 || s.PadW < 0 || 2 * s.PadH > s.KernelH || 2 * s.PadW > s.KernelW || s.OutHeight <= 0 || s.OutWidth <= 0)
            throw new ArgumentException($"{op}: invalid geometry {s}");
        CheckAtLeast(op, s.InputLength, inputLength, "input");
        CheckAtLeast(op, s.OutputLength, outputLength, "output");
    }
}
