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
    public static void Gather<T>(Conv2dShape s, ReadOnlySpan<T> x, Span<T> col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OutHeight, ow = s.OutWidth, columns = s.Batch * oh * ow;
        for (int c = 0; c < s.InChannels; c++)
        for (int p = 0; p < s.KernelH; p++)
        for (int q = 0; q < s.KernelW; q++)
        {
            var row = col.Slice(((c * s.KernelH + p) * s.KernelW + q) * columns, columns);
            var (jFirst, jEnd) = ValidRange(ow, q * s.DilationW - s.PadW, s.StrideW, s.Width);
            for (int n = 0; n < s.Batch; n++)
            {
                var plane = x.Slice((n * s.InChannels + c) * s.Height * s.Width, s.Height * s.Width);
                for (int i = 0; i < oh; i++)
                {
                    var dst = row.Slice((n * oh + i) * ow, ow);
                    int r = i * s.StrideH - s.PadH + p * s.DilationH;
                    if (r < 0 || r >= s.Height) { dst.Clear(); continue; }
                    var src = plane.Slice(r * s.Width, s.Width);
                    dst[..jFirst].Clear();
                    dst[jEnd..].Clear();
                    int start = jFirst * s.StrideW + q * s.DilationW - s.PadW;
                    if (s.StrideW == 1) src.Slice(start, jEnd - jFirst).CopyTo(dst[jFirst..jEnd]);
                    else CopyStrided(src[start..], s.StrideW, dst[jFirst..jEnd]);
                }
            }
        }
    }

    // col: (C·KH·KW, N·OH·OW) → dx: (N, C, H, W), added into dx (the caller clears it).
    public static void ScatterAdd<T>(Conv2dShape s, ReadOnlySpan<T> col, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OutHeight, ow = s.OutWidth, columns = s.Batch * oh * ow;
        for (int c = 0; c < s.InChannels; c++)
        for (int p = 0; p < s.KernelH; p++)
        for (int q = 0; q < s.KernelW; q++)
        {
            var row = col.Slice(((c * s.KernelH + p) * s.KernelW + q) * columns, columns);
            var (jFirst, jEnd) = ValidRange(ow, q * s.DilationW - s.PadW, s.StrideW, s.Width);
            for (int n = 0; n < s.Batch; n++)
            {
                var plane = dx.Slice((n * s.InChannels + c) * s.Height * s.Width, s.Height * s.Width);
                for (int i = 0; i < oh; i++)
                {
                    int r = i * s.StrideH - s.PadH + p * s.DilationH;
                    if (r < 0 || r >= s.Height) continue;
                    var src = row.Slice((n * oh + i) * ow, ow);
                    var dst = plane.Slice(r * s.Width, s.Width);
                    int start = jFirst * s.StrideW + q * s.DilationW - s.PadW;
                    if (s.StrideW == 1) AddInto(src[jFirst..jEnd], dst.Slice(start, jEnd - jFirst));
                    else AddStrided(src[jFirst..jEnd], dst[start..], s.StrideW);
                }
            }
        }
    }

    // The output columns j whose input column j·stride + offset lies inside [0, width): [first, end).
    private static (int First, int End) ValidRange(int outWidth, int offset, int stride, int width)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = width - offset <= 0 ? 0 : Math.Min(outWidth, (width - offset - 1) / stride + 1);
        first = Math.Min(first, outWidth);
        return (first, Math.Max(first, end));
    }

    // dst[j] = src[j·stride] for every j of dst; the caller has checked that src is long enough, so the
    // loop runs without bounds checks (the stride-2 gathers are a large part of a conv layer's time).
    private static void CopyStrided<T>(ReadOnlySpan<T> src, int stride, Span<T> dst) where T : unmanaged
    {
        if (dst.IsEmpty) return;
        if ((long)(dst.Length - 1) * stride >= src.Length) throw new ArgumentException("im2col: strided copy out of range");
        ref T from = ref MemoryMarshal.GetReference(src);
        ref T to = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < dst.Length; j++) Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j * stride);
    }

    // dst[j·stride] += src[j] for every j of src (checked once, as above).
    private static void AddStrided<T>(ReadOnlySpan<T> src, Span<T> dst, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (src.IsEmpty) return;
        if ((long)(src.Length - 1) * stride >= dst.Length) throw new ArgumentException("col2im: strided add out of range");
        ref T from = ref MemoryMarshal.GetReference(src);
        ref T to = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < src.Length; j++) Unsafe.Add(ref to, j * stride) += Unsafe.Add(ref from, j);
    }

    private static void AddInto<T>(ReadOnlySpan<T> src, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        System.Numerics.Tensors.TensorPrimitives.Add(src, dst, dst);
    }
}
