using System.Numerics;

namespace Scratch.Kernels.Cpu;

// The oracle for convolution: the definition, written as nested loops over every index. The
// three loops below are one sum, y[n,o,i,j] = b[o] + Σ_{c,p,q} x[n, c, i·s − pad + p·d, j·s − pad + q·d] · w[o,c,p,q],
// read three ways: for y (forward), for x (the input gradient, also the transposed convolution's
// forward), for w (the weight gradient).
public static partial class Reference
{
    /// <summary>
    /// x: (N, C, H, W), w: (O, C, KH, KW), bias: (O) or empty → y: (N, O, OH, OW), overwritten:
    /// y[n, o, i, j] = bias[o] + Σ_(c, p, q) x[n, c, i·stride − pad + p·dilation, …]·w[o, c, p, q], zero padding.
    /// No checks: s must be a valid geometry and the spans at least as long as its lengths (else IndexOutOfRangeException).
    /// </summary>
    public static void Conv2dForward<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OutHeight, ow = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            T sum = bias.IsEmpty ? T.Zero : bias[o];
            for (int c = 0; c < s.InChannels; c++)
            for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
            {
                int r = i * s.StrideH - s.PadH + p * s.DilationH, col = j * s.StrideW - s.PadW + q * s.DilationW;
                if (r < 0 || r >= s.Height || col < 0 || col >= s.Width) continue;   // zero padding
                sum += x[((n * s.InChannels + c) * s.Height + r) * s.Width + col] * w[((o * s.InChannels + c) * s.KernelH + p) * s.KernelW + q];
            }
            y[((n * s.OutChannels + o) * oh + i) * ow + j] = sum;
        }
    }

    /// <summary>
    /// dy: (N, O, OH, OW), w: (O, C, KH, KW) → dx: (N, C, H, W), overwritten: dx = ∂(Σ dy·y)/∂x, which is
    /// also the forward of the transposed convolution. No checks: s must be a valid geometry and the spans at least as long as its lengths (else IndexOutOfRangeException).
    /// </summary>
    public static void Conv2dBackwardInput<T>(Conv2dShape s, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dx[..s.InputLength].Clear();
        int oh = s.OutHeight, ow = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            T g = dy[((n * s.OutChannels + o) * oh + i) * ow + j];
            for (int c = 0; c < s.InChannels; c++)
            for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
            {
                int r = i * s.StrideH - s.PadH + p * s.DilationH, col = j * s.StrideW - s.PadW + q * s.DilationW;
                if (r < 0 || r >= s.Height || col < 0 || col >= s.Width) continue;
                dx[((n * s.InChannels + c) * s.Height + r) * s.Width + col] += g * w[((o * s.InChannels + c) * s.KernelH + p) * s.KernelW + q];
            }
        }
    }

    /// <summary>
    /// x: (N, C, H, W), dy: (N, O, OH, OW) → dw: (O, C, KH, KW), overwritten: dw = ∂(Σ dy·y)/∂w.
    /// No checks: s must be a valid geometry and the spans at least as long as its lengths (else IndexOutOfRangeException).
    /// </summary>
    public static void Conv2dBackwardWeight<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OutHeight, ow = s.OutWidth;
        for (int o = 0; o < s.OutChannels; o++)
        for (int c = 0; c < s.InChannels; c++)
        for (int p = 0; p < s.KernelH; p++)
        for (int q = 0; q < s.KernelW; q++)
        {
            T sum = T.Zero;
            for (int n = 0; n < s.Batch; n++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int r = i * s.StrideH - s.PadH + p * s.DilationH, col = j * s.StrideW - s.PadW + q * s.DilationW;
                if (r < 0 || r >= s.Height || col < 0 || col >= s.Width) continue;
                sum += x[((n * s.InChannels + c) * s.Height + r) * s.Width + col] * dy[((n * s.OutChannels + o) * oh + i) * ow + j];
            }
            dw[((o * s.InChannels + c) * s.KernelH + p) * s.KernelW + q] = sum;
        }
    }
}
