using ILGPU;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// The geometry of a convolution as plain int fields, the form a kernel parameter takes
/// (<see cref="Conv2dShape"/> with its derived sizes computed once on the host).
/// </summary>
internal struct ConvGeometry
{
    public int Batch, InChannels, Height, Width, KernelH, KernelW;
    public int StrideH, StrideW, PadH, PadW, DilationH, DilationW;
    public int OutHeight, OutWidth;

    public static ConvGeometry Of(Conv2dShape s) => new()
    {
        Batch = s.Batch, InChannels = s.InChannels, Height = s.Height, Width = s.Width, KernelH = s.KernelH, KernelW = s.KernelW,
        StrideH = s.StrideH, StrideW = s.StrideW, PadH = s.PadH, PadW = s.PadW, DilationH = s.DilationH, DilationW = s.DilationW,
        OutHeight = s.OutHeight, OutWidth = s.OutWidth,
    };

    /// <summary>N·OH·OW: the columns of the patch matrix.</summary>
    public readonly int Columns => Batch * OutHeight * OutWidth;
}

/// <summary>
/// Convolution as im2col + the tiled GEMM of <see cref="GemmKernels"/>, the same three products as
/// the CPU (Cpu/Conv/CpuKernels.Conv.cs): y = W·col, dcol = Wᵀ·dy, dW = dy·colᵀ. These kernels are
/// the data movement around those products. One thread per output element everywhere, and col2im
/// is written as a gather (each dx element sums its own patches) rather than a scatter: no atomics,
/// so the same input always gives the same bits, in the CPU's order of additions.
/// Every static method here is a kernel; the PTX test compiles each one.
/// </summary>
internal static class ConvKernels
{
    // x: (N, C, H, W) → col: (C·KH·KW, N·OH·OW); col[(c, p, q), (n, i, j)] = x[n, c, i·s − pad + p·d, j·s − pad + q·d], 0 in the padding.
    public static void Im2Col(Index1D index, ArrayView<float> x, ConvGeometry g, ArrayView<float> col)
    {
        int columns = g.Batch * g.OutHeight * g.OutWidth;
        int row = index / columns, column = index % columns;
        int q = row % g.KernelW, p = row / g.KernelW % g.KernelH, c = row / (g.KernelW * g.KernelH);
        int j = column % g.OutWidth, i = column / g.OutWidth % g.OutHeight, n = column / (g.OutWidth * g.OutHeight);
        int r = i * g.StrideH - g.PadH + p * g.DilationH;
        int k = j * g.StrideW - g.PadW + q * g.DilationW;
        bool inside = r >= 0 && r < g.Height && k >= 0 && k < g.Width;
        col[index] = inside ? x[((n * g.InChannels + c) * g.Height + r) * g.Width + k] : 0.0f;
    }

    // col: (C·KH·KW, N·OH·OW) → dx: (N, C, H, W), overwritten: the adjoint of Im2Col. Thread (n, c, r, k)
    // visits its patch positions (p, q) in order and takes column (n, i, j) where i·s − pad + p·d = r
    // (and likewise for k), i.e. where r + pad − p·d is a multiple of the stride inside [0, OH·s).
    public static void Col2Im(Index1D index, ArrayView<float> col, ConvGeometry g, ArrayView<float> dx)
    {
        int columns = g.Batch * g.OutHeight * g.OutWidth;
        int k = index % g.Width, r = index / g.Width % g.Height;
        int c = index / (g.Width * g.Height) % g.InChannels, n = index / (g.Width * g.Height * g.InChannels);
        float sum = 0.0f;
        for (int p = 0; p < g.KernelH; p++)
        {
            int rowOffset = r + g.PadH - p * g.DilationH;
            if (rowOffset < 0 || rowOffset % g.StrideH != 0) continue;
            int i = rowOffset / g.StrideH;
            if (i >= g.OutHeight) continue;
            for (int q = 0; q < g.KernelW; q++)
            {
                int colOffset = k + g.PadW - q * g.DilationW;
                if (colOffset < 0 || colOffset % g.StrideW != 0) continue;
                int j = colOffset / g.StrideW;
                if (j >= g.OutWidth) continue;
                int patchRow = (c * g.KernelH + p) * g.KernelW + q;
                sum += col[patchRow * columns + (n * g.OutHeight + i) * g.OutWidth + j];
            }
        }
        dx[index] = sum;
    }

    // dy: (N, O, S) → big: (O, N·S), the layout in which the whole batch is one GEMM operand.
    public static void ChannelsFirst(Index1D index, ArrayView<float> dy, int batch, int channels, int spatial, ArrayView<float> big)
    {
        int columns = batch * spatial;
        int o = index / columns, n = index % columns / spatial, k = index % spatial;
        big[index] = dy[(n * channels + o) * spatial + k];
    }

    // big: (O, N·S) → y: (N, O, S), plus bias[o] when hasBias (bias is not read otherwise).
    public static void ChannelsLast(Index1D index, ArrayView<float> big, ArrayView<float> bias, int hasBias,
        int batch, int channels, int spatial, ArrayView<float> y)
    {
        int k = index % spatial, o = index / spatial % channels, n = index / (spatial * channels);
        float v = big[o * (batch * spatial) + n * spatial + k];
        y[index] = hasBias != 0 ? v + bias[o] : v;
    }
}
