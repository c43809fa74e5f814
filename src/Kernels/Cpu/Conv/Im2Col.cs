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
internal static class Im2Col
{
    // x: (N, C, H, W) → col: (C·KH·KW, N·OH·OW)
    // Table-driven: for each kernel tap (p, q), Taps writes once where in an input plane each of the
    // OH·OW outputs reads (or −1 in the padding); then every (c, n) plane of that tap is one flat loop
    // over the table. The output rows are short (OW = 7 at the conv VAE's 32→64 layer), so a loop per
    // row spent most of its time starting rows; the flat loop has no per-row work at all.
    public static void Gather<T>(Conv2dShape s, ReadOnlySpan<T> x, Span<T> col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial, plane = s.Height * s.Width;
        if (x.Length < s.InputLength || col.Length < (long)s.PatchSize * columns) throw new ArgumentException($"im2col: buffers too short for {s}");
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T col0 = ref MemoryMarshal.GetReference(col);
        var table = ArrayPool<int>.Shared.Rent(spatial);
        try
        {
            for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
            {
                Taps(s, p, q, table);
                ref int offsets = ref MemoryMarshal.GetArrayDataReference(table);
                for (int c = 0; c < s.InChannels; c++)
                {
                    ref T row = ref Unsafe.Add(ref col0, (nint)((c * s.KernelH + p) * s.KernelW + q) * columns);
                    for (int n = 0; n < s.Batch; n++)
                    {
                        ref T image = ref Unsafe.Add(ref x0, (nint)(n * s.InChannels + c) * plane);
                        ref T dst = ref Unsafe.Add(ref row, n * spatial);
                        for (int t = 0; t < spatial; t++)
                        {
                            int at = Unsafe.Add(ref offsets, t);
                            Unsafe.Add(ref dst, t) = at >= 0 ? Unsafe.Add(ref image, at) : T.Zero;
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    // col: (C·KH·KW, N·OH·OW) → dx: (N, C, H, W), added into dx (the caller clears it). The same
    // tables as Gather; within one tap no two outputs read the same input, so the adds never collide.
    public static void ScatterAdd<T>(Conv2dShape s, ReadOnlySpan<T> col, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial, plane = s.Height * s.Width;
        if (dx.Length < s.InputLength || col.Length < (long)s.PatchSize * columns) throw new ArgumentException($"col2im: buffers too short for {s}");
        ref T dx0 = ref MemoryMarshal.GetReference(dx);
        ref T col0 = ref MemoryMarshal.GetReference(col);
        var table = ArrayPool<int>.Shared.Rent(spatial);
        try
        {
            for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
            {
                Taps(s, p, q, table);
                ref int offsets = ref MemoryMarshal.GetArrayDataReference(table);
                for (int c = 0; c < s.InChannels; c++)
                {
                    ref T row = ref Unsafe.Add(ref col0, (nint)((c * s.KernelH + p) * s.KernelW + q) * columns);
                    for (int n = 0; n < s.Batch; n++)
                    {
                        ref T image = ref Unsafe.Add(ref dx0, (nint)(n * s.InChannels + c) * plane);
                        ref T src = ref Unsafe.Add(ref row, n * spatial);
                        for (int t = 0; t < spatial; t++)
                        {
                            int at = Unsafe.Add(ref offsets, t);
                            if (at >= 0) Unsafe.Add(ref image, at) += Unsafe.Add(ref src, t);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    // table[i·OW + j] = r·W + col, the input pixel that output (i, j) reads through tap (p, q):
    // r = i·stride − pad + p·dilation, col likewise; −1 where that pixel is padding. Every offset
    // written is inside [0, H·W), which is what lets Gather and ScatterAdd index without checks.
    private static void Taps(Conv2dShape s, int p, int q, int[] table)
    {
        int oh = s.OutHeight, ow = s.OutWidth;
        for (int i = 0; i < oh; i++)
        {
            int r = i * s.StrideH - s.PadH + p * s.DilationH;
            for (int j = 0; j < ow; j++)
            {
                int column = j * s.StrideW - s.PadW + q * s.DilationW;
                table[i * ow + j] = r >= 0 && r < s.Height && column >= 0 && column < s.Width ? r * s.Width + column : -1;
            }
        }
    }
}
