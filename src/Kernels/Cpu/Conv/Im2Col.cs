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
    // The inner rows are short (OW = 7 at the conv VAE's 32→64 layer: 458,752 of them per batch), so
    // the loop works on refs, with the valid range of output rows i and columns j worked out once per
    // kernel tap (p, q) instead of per row, and no span made per row. Every offset stays inside x and
    // col: the spans' lengths are checked once at the top.
    public static void Gather<T>(Conv2dShape s, ReadOnlySpan<T> x, Span<T> col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OutHeight, ow = s.OutWidth, columns = s.Batch * oh * ow, plane = s.Height * s.Width;
        if (x.Length < s.InputLength || col.Length < (long)s.PatchSize * columns) throw new ArgumentException($"im2col: buffers too short for {s}");
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T col0 = ref MemoryMarshal.GetReference(col);
        int stride = s.StrideW;
        for (int c = 0; c < s.InChannels; c++)
        for (int p = 0; p < s.KernelH; p++)
        {
            var (iFirst, iEnd) = ValidRange(oh, p * s.DilationH - s.PadH, s.StrideH, s.Height);
            for (int q = 0; q < s.KernelW; q++)
            {
                ref T row = ref Unsafe.Add(ref col0, (nint)((c * s.KernelH + p) * s.KernelW + q) * columns);
                var (jFirst, jEnd) = ValidRange(ow, q * s.DilationW - s.PadW, stride, s.Width);
                int colStart = jFirst * stride + q * s.DilationW - s.PadW;
                for (int n = 0; n < s.Batch; n++)
                {
                    ref T image = ref Unsafe.Add(ref x0, (nint)(n * s.InChannels + c) * plane);
                    ref T outRows = ref Unsafe.Add(ref row, n * oh * ow);
                    Clear(ref outRows, iFirst * ow);
                    for (int i = iFirst; i < iEnd; i++)
                    {
                        ref T dst = ref Unsafe.Add(ref outRows, i * ow);
                        ref T src = ref Unsafe.Add(ref image, (i * s.StrideH - s.PadH + p * s.DilationH) * s.Width + colStart);
                        Clear(ref dst, jFirst);
                        for (int j = jFirst; j < jEnd; j++) Unsafe.Add(ref dst, j) = Unsafe.Add(ref src, (j - jFirst) * stride);
                        Clear(ref Unsafe.Add(ref dst, jEnd), ow - jEnd);
                    }
                    Clear(ref Unsafe.Add(ref outRows, iEnd * ow), (oh - iEnd) * ow);
                }
            }
        }
    }

    // col: (C·KH·KW, N·OH·OW) → dx: (N, C, H, W), added into dx (the caller clears it). The same walk
    // as Gather, adding instead of copying.
    public static void ScatterAdd<T>(Conv2dShape s, ReadOnlySpan<T> col, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OutHeight, ow = s.OutWidth, columns = s.Batch * oh * ow, plane = s.Height * s.Width;
        if (dx.Length < s.InputLength || col.Length < (long)s.PatchSize * columns) throw new ArgumentException($"col2im: buffers too short for {s}");
        ref T dx0 = ref MemoryMarshal.GetReference(dx);
        ref T col0 = ref MemoryMarshal.GetReference(col);
        int stride = s.StrideW;
        for (int c = 0; c < s.InChannels; c++)
        for (int p = 0; p < s.KernelH; p++)
        {
            var (iFirst, iEnd) = ValidRange(oh, p * s.DilationH - s.PadH, s.StrideH, s.Height);
            for (int q = 0; q < s.KernelW; q++)
            {
                ref T row = ref Unsafe.Add(ref col0, (nint)((c * s.KernelH + p) * s.KernelW + q) * columns);
                var (jFirst, jEnd) = ValidRange(ow, q * s.DilationW - s.PadW, stride, s.Width);
                int colStart = jFirst * stride + q * s.DilationW - s.PadW;
                for (int n = 0; n < s.Batch; n++)
                {
                    ref T image = ref Unsafe.Add(ref dx0, (nint)(n * s.InChannels + c) * plane);
                    ref T inRows = ref Unsafe.Add(ref row, n * oh * ow);
                    for (int i = iFirst; i < iEnd; i++)
                    {
                        ref T src = ref Unsafe.Add(ref inRows, i * ow);
                        ref T dst = ref Unsafe.Add(ref image, (i * s.StrideH - s.PadH + p * s.DilationH) * s.Width + colStart);
                        for (int j = jFirst; j < jEnd; j++) Unsafe.Add(ref dst, (j - jFirst) * stride) += Unsafe.Add(ref src, j);
                    }
                }
            }
        }
    }

    private static void Clear<T>(ref T start, int count) where T : unmanaged
    {
        for (int k = 0; k < count; k++) Unsafe.Add(ref start, k) = default;
    }

    // The output columns j whose input column j·stride + offset lies inside [0, width): [first, end).
    private static (int First, int End) ValidRange(int outWidth, int offset, int stride, int width)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = width - offset <= 0 ? 0 : Math.Min(outWidth, (width - offset - 1) / stride + 1);
        first = Math.Min(first, outWidth);
        return (first, Math.Max(first, end));
    }
}
