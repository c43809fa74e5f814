using System.Buffers;
using System.Numerics;

namespace Scratch.Kernels.Cpu;

// Convolution on the CPU as im2col + the packed GEMM of Cpu/Gemm, for the whole batch at once.
//
// Why this design (and not yet an implicit GEMM): im2col lays the patches out as a (C·KH·KW, N·OH·OW)
// matrix in a pooled scratch buffer, and the three products of a convolution become one GEMM each,
// with transposes passed as flags that the GEMM's packing absorbs:
//   forward        Y   = W · col            (O, N·OH·OW)
//   input grad     dcol = Wᵀ · dY            then col2im adds dcol into dx
//   weight grad    dW  = dY · colᵀ           (O, C·KH·KW)
// One GEMM per batch (not one per image) keeps the matrices large enough for the blocked kernel and
// its two threads. The cost is the patch buffer's memory traffic (KH·KW/stride² copies of the
// input) and a permutation between (O, N, OH·OW) and PyTorch's (N, O, OH·OW) layout. An implicit
// GEMM — gathering patches straight into GEMM's packed panels — saves that traffic; it needs a
// packing hook inside Cpu/Gemm, left for later (benchmarks/README.md has the figures that decide it).
// The scratch buffers come from ArrayPool, so a steady-state step allocates nothing.
public static partial class CpuKernels
{
    // x: (N, C, H, W), w: (O, C, KH, KW), bias: (O) or empty → y: (N, O, OH, OW)
    public static void Conv2dForward<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d", s, x.Length, w.Length, y.Length);
        if (!bias.IsEmpty) CheckSameLength("conv2d", s.OutChannels, bias.Length, "bias");
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        if (s.OutputLength == 0) return;
        var col = ArrayPool<T>.Shared.Rent(s.PatchSize * columns);
        var yBig = ArrayPool<T>.Shared.Rent(s.OutChannels * columns);
        try
        {
            Im2Col.Gather(s, x, col);
            // Y (O, N·OH·OW) = W (O, C·KH·KW) · col (C·KH·KW, N·OH·OW)
            Gemm(false, false, s.OutChannels, columns, s.PatchSize, T.One, w, s.PatchSize, col, columns, T.Zero, yBig, columns);
            // (O, N, OH·OW) → (N, O, OH·OW), adding the bias on the way.
            for (int n = 0; n < s.Batch; n++)
            for (int o = 0; o < s.OutChannels; o++)
            {
                var src = yBig.AsSpan(o * columns + n * spatial, spatial);
                var dst = y.Slice((n * s.OutChannels + o) * spatial, spatial);
                if (bias.IsEmpty) src.CopyTo(dst);
                else System.Numerics.Tensors.TensorPrimitives.Add(src, bias[o], dst);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(yBig);
            ArrayPool<T>.Shared.Return(col);
        }
    }

    // dy: (N, O, OH, OW), w: (O, C, KH, KW) → dx: (N, C, H, W), overwritten.
    public static void Conv2dBackwardInput<T>(Conv2dShape s, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d backward input", s, dx.Length, w.Length, dy.Length);
        dx[..s.InputLength].Clear();
        int columns = s.Batch * s.OutHeight * s.OutWidth;
        if (s.OutputLength == 0 || s.PatchSize == 0) return;
        var dyBig = ArrayPool<T>.Shared.Rent(s.OutChannels * columns);
        var dcol = ArrayPool<T>.Shared.Rent(s.PatchSize * columns);
        try
        {
            ChannelsFirst(s, dy, dyBig);
            // dcol (C·KH·KW, N·OH·OW) = Wᵀ · dY; W is stored (O, C·KH·KW), so transA.
            Gemm(true, false, s.PatchSize, columns, s.OutChannels, T.One, w, s.PatchSize, dyBig, columns, T.Zero, dcol, columns);
            Im2Col.ScatterAdd(s, dcol, dx);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(dcol);
            ArrayPool<T>.Shared.Return(dyBig);
        }
    }

    // x: (N, C, H, W), dy: (N, O, OH, OW) → dw: (O, C, KH, KW), overwritten.
    public static void Conv2dBackwardWeight<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d backward weight", s, x.Length, dw.Length, dy.Length);
        int columns = s.Batch * s.OutHeight * s.OutWidth;
        if (s.WeightLength == 0) return;
        var col = ArrayPool<T>.Shared.Rent(s.PatchSize * columns);
        var dyBig = ArrayPool<T>.Shared.Rent(s.OutChannels * columns);
        try
        {
            Im2Col.Gather(s, x, col);
            ChannelsFirst(s, dy, dyBig);
            // dW (O, C·KH·KW) = dY (O, N·OH·OW) · colᵀ; col is stored (C·KH·KW, N·OH·OW), so transB.
            // With no output pixels (columns = 0) the GEMM writes zeros: k = 0 means an empty sum.
            Gemm(false, true, s.OutChannels, s.PatchSize, columns, T.One, dyBig, columns, col, columns, T.Zero, dw, s.PatchSize);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(dyBig);
            ArrayPool<T>.Shared.Return(col);
        }
    }

    // dy: (N, O, S) → (O, N·S): the layout in which the batch is one GEMM operand.
    private static void ChannelsFirst<T>(Conv2dShape s, ReadOnlySpan<T> dy, Span<T> big) where T : unmanaged
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        for (int n = 0; n < s.Batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
            dy.Slice((n * s.OutChannels + o) * spatial, spatial).CopyTo(big.Slice(o * columns + n * spatial, spatial));
    }

    private static void CheckConv(string op, Conv2dShape s, int inputLength, int weightLength, int outputLength)
    {
        if (s.Batch < 0 || s.InChannels < 0 || s.OutChannels < 0 || s.Height < 0 || s.Width < 0 || s.KernelH <= 0 || s.KernelW <= 0
            || s.StrideH <= 0 || s.StrideW <= 0 || s.PadH < 0 || s.PadW < 0 || s.DilationH <= 0 || s.DilationW <= 0
            || s.OutHeight <= 0 || s.OutWidth <= 0)
            throw new ArgumentException($"{op}: invalid geometry {s}");
        CheckAtLeast(op, s.InputLength, inputLength, "input");
        CheckAtLeast(op, s.WeightLength, weightLength, "weight");
        CheckAtLeast(op, s.OutputLength, outputLength, "output");
    }
}
