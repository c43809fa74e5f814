using System.Numerics;

namespace Scratch.Kernels.Cpu;

// Convolution on the CPU as im2col + the packed GEMM of Cpu/Gemm, one group of images at a time.
//
// The batch is cut into groups of a few images (ImageGroups: as many as keep the group's patch matrix
// in L2). For each group g of G images, with col_g (C·KH·KW, G·OH·OW) its patch matrix (Im2Col) and
// dY_g (O, G·OH·OW) its output gradient in channel-major order:
//   forward        Y_g    = W · col_g               then Y_g is copied into y (N, O, OH, OW), bias added
//   input grad     dcol_g = Wᵀ · dY_g               then col2im adds dcol_g into the group's dx at once
//   weight grad    dW    += dY_g · col_gᵀ           summed over groups (beta = 1)
// Every buffer of a group lives in L2 between the step that writes it and the one that reads it;
// the whole-batch version of these products (one 512 × 6272 patch matrix at the conv VAE's 32→64
// layer) spent more time streaming that matrix through memory than multiplying.
//
// Threads: groups are independent for the forward and the input gradient, so the engine's worker
// pool hands whole groups to its threads, and each GEMM runs single-threaded inside its worker (a
// nested region runs inline). The weight gradient sums over groups: the groups are cut into a fixed
// number of chunks (ImageGroups.WeightChunks, independent of the thread count), each chunk sums its
// groups into its own partial in group order, and the partials are added in chunk order at the end —
// the same additions in the same order on any number of threads, so the result is bitwise the same.
// With a single group there is nothing to split and the GEMM uses the threads itself.
// Scratch buffers come from ArrayPool, so a steady-state step allocates nothing.
//
// im2col and col2im go through phase planes (PhasePlanes: the images padded, columns split by stride
// phase) so that every row of a patch matrix is contiguous runs copied a vector at a time (Runs).
// Why not an implicit GEMM (patches gathered straight into GEMM's packed panels): it needs a packing
// hook inside Cpu/Gemm, and with groups in L2 and vector runs the patch copy is a cheap in-cache pass
// (≈ 1 ms of a ≈ 12 ms layer; docs/benchmarks-log.md, "How the CPU convolution works").
public static partial class CpuKernels
{
    /// <summary>
    /// x: (N, C, H, W), w: (O, C, KH, KW), bias: (O) or empty → y: (N, O, OH, OW), overwritten: the
    /// convolution <see cref="Reference.Conv2dForward{T}"/> defines, equal to it up to rounding and
    /// bitwise the same on any <see cref="CpuThreads.Count"/>. Throws <see cref="ArgumentException"/> for an invalid geometry (sizes or padding negative; kernel, stride or dilation not positive; OutHeight or OutWidth ≤ 0) or a span shorter than s requires; longer spans are used from the start. A non-empty bias must have length O.
    /// </summary>
    public static void Conv2dForward<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Conv2dForward(s, x, w, bias, y, ImageGroups.ImagesPerGroup(s, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));

    // The same with a chosen group size: tests run groups that do not divide the batch.
    internal static unsafe void Conv2dForward<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y, int imagesPerGroup)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d", s, x.Length, w.Length, y.Length);
        if (!bias.IsEmpty) CheckSameLength("conv2d", s.OutChannels, bias.Length, "bias");
        if (s.OutputLength == 0) return;
        fixed (T* px = x) fixed (T* pw = w) fixed (T* pb = bias) fixed (T* py = y)
        {
            var work = ConvForwardWork<T>.OfThisThread;
            work.Set(s, imagesPerGroup, px, pw, py);
            work.Bias = pb; work.HasBias = !bias.IsEmpty;
            work.RunAll();
        }
    }

    /// <summary>
    /// dy: (N, O, OH, OW), w: (O, C, KH, KW) → dx: (N, C, H, W), overwritten: the input gradient
    /// <see cref="Reference.Conv2dBackwardInput{T}"/> defines (equal up to rounding). Throws <see cref="ArgumentException"/> for an invalid geometry (sizes or padding negative; kernel, stride or dilation not positive; OutHeight or OutWidth ≤ 0) or a span shorter than s requires; longer spans are used from the start.
    /// </summary>
    public static void Conv2dBackwardInput<T>(Conv2dShape s, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Conv2dBackwardInput(s, dy, w, ReadOnlySpan<T>.Empty, dx);

    /// <summary>
    /// The input gradient plus bias[c] on every element of channel c of dx: the forward of a transposed
    /// convolution with its bias. dy: (N, O, OH, OW), w: (O, C, KH, KW), bias: (C) or empty → dx: (N, C, H, W),
    /// overwritten; bitwise equal to the kernel without bias followed by the broadcast add. Throws <see cref="ArgumentException"/> for an invalid geometry (sizes or padding negative; kernel, stride or dilation not positive; OutHeight or OutWidth ≤ 0) or a span shorter than s requires; longer spans are used from the start.
    /// A non-empty bias must have length C.
    /// </summary>
    // The bias is added per group while the group's dx is in cache.
    public static void Conv2dBackwardInput<T>(Conv2dShape s, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Conv2dBackwardInput(s, dy, w, bias, dx, ImageGroups.ImagesPerGroup(s, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));

    internal static unsafe void Conv2dBackwardInput<T>(Conv2dShape s, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> dx, int imagesPerGroup)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d backward input", s, dx.Length, w.Length, dy.Length);
        if (!bias.IsEmpty) CheckSameLength("conv_transpose2d", s.InChannels, bias.Length, "bias");
        if (s.OutputLength == 0 || s.PatchSize == 0)
        {
            dx[..s.InputLength].Clear();
            if (!bias.IsEmpty) ChannelBias.Add(s.Batch, s.InChannels, s.Height * s.Width, bias, dx);
            return;
        }
        fixed (T* pdy = dy) fixed (T* pw = w) fixed (T* pdx = dx) fixed (T* pb = bias)
        {
            var work = ConvInputGradWork<T>.OfThisThread;
            work.Set(s, imagesPerGroup, pdx, pw, pdy);
            work.Bias = pb; work.HasBias = !bias.IsEmpty;
            work.RunAll();
        }
    }

    /// <summary>
    /// x: (N, C, H, W), dy: (N, O, OH, OW) → dw: (O, C, KH, KW), overwritten: the weight gradient
    /// <see cref="Reference.Conv2dBackwardWeight{T}"/> defines, equal up to rounding and bitwise the same on
    /// any <see cref="CpuThreads.Count"/>. Throws <see cref="ArgumentException"/> for an invalid geometry (sizes or padding negative; kernel, stride or dilation not positive; OutHeight or OutWidth ≤ 0) or a span shorter than s requires; longer spans are used from the start.
    /// </summary>
    public static void Conv2dBackwardWeight<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int group = ImageGroups.ImagesPerGroup(s, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        Conv2dBackwardWeight(s, x, dy, dw, group, ImageGroups.WeightChunks(s, group));
    }

    internal static unsafe void Conv2dBackwardWeight<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dw, int imagesPerGroup, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d backward weight", s, x.Length, dw.Length, dy.Length);
        if (s.WeightLength == 0) return;
        // With no output pixels the gradient is an empty sum.
        if (s.Batch == 0 || s.OutHeight * s.OutWidth == 0)
        {
            dw[..s.WeightLength].Clear();
            return;
        }
        fixed (T* px = x) fixed (T* pdy = dy) fixed (T* pdw = dw)
        {
            var work = ConvWeightGradWork<T>.OfThisThread;
            work.Set(s, imagesPerGroup, px, pdw, pdy);
            work.RunAll(chunks);
        }
    }

    /// <summary>
    /// x: (N, C, H, W), w: (O, C, KH, KW), dy: (N, O, OH, OW) → y = conv2d(x, w): (N, O, OH, OW) and
    /// dw = the weight gradient for x and dy: (O, C, KH, KW), both overwritten: the two products that read
    /// x's patches, from one im2col of x (a transposed convolution's backward). Bitwise the same as
    /// Conv2dForward (no bias) then Conv2dBackwardWeight. Throws <see cref="ArgumentException"/> for an invalid geometry (sizes or padding negative; kernel, stride or dilation not positive; OutHeight or OutWidth ≤ 0) or a span shorter than s requires; longer spans are used from the start.
    /// </summary>
    public static void Conv2dForwardAndBackwardWeight<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y,
        ReadOnlySpan<T> dy, Span<T> dw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int group = ImageGroups.ImagesPerGroup(s, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        Conv2dForwardAndBackwardWeight(s, x, w, y, dy, dw, group, ImageGroups.WeightChunks(s, group));
    }

    internal static unsafe void Conv2dForwardAndBackwardWeight<T>(Conv2dShape s, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y,
        ReadOnlySpan<T> dy, Span<T> dw, int imagesPerGroup, int chunks) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckConv("conv2d", s, x.Length, w.Length, y.Length);
        CheckConv("conv2d backward weight", s, x.Length, dw.Length, dy.Length);
        // Degenerate shapes (nothing to share): the separate kernels handle them.
        if (s.OutputLength == 0 || s.WeightLength == 0)
        {
            Conv2dForward(s, x, w, default, y, imagesPerGroup);
            Conv2dBackwardWeight(s, x, dy, dw, imagesPerGroup, chunks);
            return;
        }
        fixed (T* px = x) fixed (T* pw = w) fixed (T* py = y) fixed (T* pdy = dy) fixed (T* pdw = dw)
        {
            var work = ConvForwardAndWeightGradWork<T>.OfThisThread;
            work.Set(s, imagesPerGroup, px, pdw, pdy);
            work.Filter = pw; work.Result = py;
            work.RunAll(chunks);
        }
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
