using ILGPU;
using ILGPU.Algorithms;

namespace Scratch.Kernels.Gpu;

/// <summary>A pooling window's geometry as plain int fields (see <see cref="Pool2dShape"/>).</summary>
internal struct PoolGeometry
{
    public int Batch, Channels, Height, Width, KernelH, KernelW, StrideH, StrideW, PadH, PadW, OutHeight, OutWidth;

    public static PoolGeometry Of(Pool2dShape s) => new()
    {
        Batch = s.Batch, Channels = s.Channels, Height = s.Height, Width = s.Width, KernelH = s.KernelH, KernelW = s.KernelW,
        StrideH = s.StrideH, StrideW = s.StrideW, PadH = s.PadH, PadW = s.PadW, OutHeight = s.OutHeight, OutWidth = s.OutWidth,
    };
}

/// <summary>
/// Max and average pooling, NCHW, with the CPU's semantics (Cpu/Conv/CpuKernels.Pool.cs): padding is
/// −∞ for max and 0 for the mean (divisor KH·KW), the first maximum in row-major window order wins a
/// tie, NaN wins outright. Forward: one thread per output. Backward: one thread per input element,
/// gathering from the windows that cover it in output order — the CPU's order of additions, without
/// atomics. Every static method here is a kernel; the PTX test compiles each one.
/// </summary>
internal static class PoolKernels
{
    // x: (N, C, H, W) → y, argmax: (N, C, OH, OW); argmax = the winner's flat index r·W + k in its plane.
    public static void MaxPoolForward(Index1D index, ArrayView<float> x, PoolGeometry g, ArrayView<float> y, ArrayView<float> argmax)
    {
        int j = index % g.OutWidth, i = index / g.OutWidth % g.OutHeight, plane = index / (g.OutWidth * g.OutHeight);
        int r0 = XMath.Max(i * g.StrideH - g.PadH, 0), r1 = XMath.Min(i * g.StrideH - g.PadH + g.KernelH, g.Height);
        int c0 = XMath.Max(j * g.StrideW - g.PadW, 0), c1 = XMath.Min(j * g.StrideW - g.PadW + g.KernelW, g.Width);
        int planeStart = plane * g.Height * g.Width;
        float best = float.NegativeInfinity;
        int bestIndex = r0 * g.Width + c0;
        // As the CPU loop: a NaN wins and ends the scan after its row (a later NaN in that row takes over).
        bool sawNaN = false;
        for (int r = r0; r < r1 && !sawNaN; r++)
        for (int c = c0; c < c1; c++)
        {
            float v = x[planeStart + r * g.Width + c];
            bool isNaN = float.IsNaN(v);
            if (v > best || isNaN)
            {
                best = v;
                bestIndex = r * g.Width + c;
                sawNaN |= isNaN;
            }
        }
        y[index] = best;
        argmax[index] = bestIndex;
    }

    // dy, argmax: (N, C, OH, OW) → dx: (N, C, H, W), overwritten: dx[r, k] = Σ dy over the windows whose winner is (r, k).
    public static void MaxPoolBackward(Index1D index, ArrayView<float> dy, ArrayView<float> argmax, PoolGeometry g, ArrayView<float> dx)
    {
        int k = index % g.Width, r = index / g.Width % g.Height, plane = index / (g.Width * g.Height);
        int self = r * g.Width + k, outStart = plane * g.OutHeight * g.OutWidth;
        float sum = 0.0f;
        for (int i = FirstWindow(r, g.PadH, g.KernelH, g.StrideH); i <= LastWindow(r, g.PadH, g.StrideH, g.OutHeight); i++)
        for (int j = FirstWindow(k, g.PadW, g.KernelW, g.StrideW); j <= LastWindow(k, g.PadW, g.StrideW, g.OutWidth); j++)
        {
            int at = outStart + i * g.OutWidth + j;
            if ((int)argmax[at] == self) sum += dy[at];
        }
        dx[index] = sum;
    }

    // x: (N, C, H, W) → y: (N, C, OH, OW), the window sum over KH·KW (padding counts as zeros).
    public static void AvgPoolForward(Index1D index, ArrayView<float> x, PoolGeometry g, ArrayView<float> y)
    {
        int j = index % g.OutWidth, i = index / g.OutWidth % g.OutHeight, plane = index / (g.OutWidth * g.OutHeight);
        int r0 = XMath.Max(i * g.StrideH - g.PadH, 0), r1 = XMath.Min(i * g.StrideH - g.PadH + g.KernelH, g.Height);
        int c0 = XMath.Max(j * g.StrideW - g.PadW, 0), c1 = XMath.Min(j * g.StrideW - g.PadW + g.KernelW, g.Width);
        int planeStart = plane * g.Height * g.Width;
        float sum = 0.0f;
        for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) sum += x[planeStart + r * g.Width + c];
        y[index] = sum / (g.KernelH * g.KernelW);
    }

    // dy: (N, C, OH, OW) → dx: (N, C, H, W), overwritten: Σ dy/(KH·KW) over the windows covering (r, k).
    public static void AvgPoolBackward(Index1D index, ArrayView<float> dy, PoolGeometry g, ArrayView<float> dx)
    {
        int k = index % g.Width, r = index / g.Width % g.Height, plane = index / (g.Width * g.Height);
        int outStart = plane * g.OutHeight * g.OutWidth;
        float divisor = g.KernelH * g.KernelW, sum = 0.0f;
        for (int i = FirstWindow(r, g.PadH, g.KernelH, g.StrideH); i <= LastWindow(r, g.PadH, g.StrideH, g.OutHeight); i++)
        for (int j = FirstWindow(k, g.PadW, g.KernelW, g.StrideW); j <= LastWindow(k, g.PadW, g.StrideW, g.OutWidth); j++)
            sum += dy[outStart + i * g.OutWidth + j] / divisor;
        dx[index] = sum;
    }

    // Window i covers input rows [i·s − pad, i·s − pad + kernel): the first i with i·s − pad + kernel > r …
    private static int FirstWindow(int r, int pad, int kernel, int stride)
    {
        int lowest = r + pad - kernel + 1;
        return lowest <= 0 ? 0 : (lowest + stride - 1) / stride;
    }

    // … and the last i with i·s − pad ≤ r, inside the output.
    private static int LastWindow(int r, int pad, int stride, int outSize) => XMath.Min((r + pad) / stride, outSize - 1);
}
