using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu;

using View = ArrayView<float>;

// Convolution: im2col → GEMM → layout, the CPU's three products (Cpu/Conv/CpuKernels.Conv.cs) on the
// device. The patch matrix and the channels-first copy live in scratch views the caller lends
// (the tensor backend rents them from its buffer pool): a training step allocates nothing here.
// Scratch sizes: col ≥ C·KH·KW·N·OH·OW, big ≥ O·N·OH·OW (see Conv2dScratch).
public sealed partial class GpuDevice
{
    private Action<Index1D, View, ConvGeometry, View>? _im2col, _col2im;
    private Action<Index1D, View, int, int, int, View>? _channelsFirst;
    private Action<Index1D, View, View, int, int, int, int, View>? _channelsLast;

    /// <summary>Floats of the two scratch views a convolution call needs: the patch matrix and the (O, N·OH·OW) copy.</summary>
    public static (long Col, long Big) Conv2dScratch(Conv2dShape s)
    {
        long columns = (long)s.Batch * s.OutHeight * s.OutWidth;
        return ((long)s.PatchSize * columns, (long)s.OutChannels * columns);
    }

    /// <summary>
    /// x: (N, C, H, W), w: (O, C, KH, KW), bias: (O) or null → y: (N, O, OH, OW), overwritten (the contract of
    /// CpuKernels.Conv2dForward), as im2col then GEMM. col and big are scratch views of at least <see cref="Conv2dScratch"/>(s) floats, overwritten. Throws <see cref="ArgumentException"/> for an invalid geometry, a view shorter than s requires, or a patch matrix over int.MaxValue. A bias must have length O.
    /// </summary>
    public void Conv2dForward(Conv2dShape s, View x, View w, View? bias, View y, View col, View big)
    {
        var g = CheckConv("Conv2dForward", s, x.Length, w.Length, y.Length, col, big);
        if (bias is { } b) CheckSameLength("Conv2dForward", s.OutChannels, b.Length, "bias");
        if (s.OutputLength == 0) return;
        int columns = g.Columns;
        Im2Col(g, x, col);
        // Y (O, N·OH·OW) = W (O, C·KH·KW) · col (C·KH·KW, N·OH·OW)
        Gemm(false, false, s.OutChannels, columns, s.PatchSize, 1f, w, Math.Max(s.PatchSize, 1), col, columns, 0f, big, columns);
        _channelsLast ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, View, int, int, int, int, View>(ConvKernels.ChannelsLast);
        var biasView = bias ?? y;   // not read when hasBias = 0
        _channelsLast(s.OutputLength, big, biasView, bias is null ? 0 : 1, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth, y.SubView(0, s.OutputLength));
    }

    /// <summary>
    /// dy: (N, O, OH, OW), w: (O, C, KH, KW) → dx: (N, C, H, W), overwritten: the input gradient (also the
    /// transposed convolution's forward), as GEMM then col2im. col and big are scratch views of at least <see cref="Conv2dScratch"/>(s) floats, overwritten. Throws <see cref="ArgumentException"/> for an invalid geometry, a view shorter than s requires, or a patch matrix over int.MaxValue.
    /// </summary>
    public void Conv2dBackwardInput(Conv2dShape s, View dy, View w, View dx, View col, View big)
    {
        var g = CheckConv("Conv2dBackwardInput", s, dx.Length, w.Length, dy.Length, col, big);
        if (s.InputLength == 0) return;
        if (s.OutputLength == 0 || s.PatchSize == 0)
        {
            Fill(dx.SubView(0, s.InputLength), 0f);
            return;
        }
        int columns = g.Columns;
        ChannelsFirst(s, dy, big);
        // dcol (C·KH·KW, N·OH·OW) = Wᵀ · dY; W is stored (O, C·KH·KW), so transA.
        Gemm(true, false, s.PatchSize, columns, s.OutChannels, 1f, w, s.PatchSize, big, columns, 0f, col, columns);
        _col2im ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, ConvGeometry, View>(ConvKernels.Col2Im);
        _col2im(s.InputLength, col, g, dx);
    }

    /// <summary>x: (N, C, H, W), dy: (N, O, OH, OW) → dw: (O, C, KH, KW), overwritten: the weight gradient, as im2col then GEMM. col and big are scratch views of at least <see cref="Conv2dScratch"/>(s) floats, overwritten. Throws <see cref="ArgumentException"/> for an invalid geometry, a view shorter than s requires, or a patch matrix over int.MaxValue.</summary>
    public void Conv2dBackwardWeight(Conv2dShape s, View x, View dy, View dw, View col, View big)
    {
        var g = CheckConv("Conv2dBackwardWeight", s, x.Length, dw.Length, dy.Length, col, big);
        if (s.WeightLength == 0) return;
        int columns = g.Columns;
        if (columns == 0)
        {
            Fill(dw.SubView(0, s.WeightLength), 0f);   // no output pixels: an empty sum
            return;
        }
        Im2Col(g, x, col);
        ChannelsFirst(s, dy, big);
        // dW (O, C·KH·KW) = dY (O, N·OH·OW) · colᵀ; col is stored (C·KH·KW, N·OH·OW), so transB.
        Gemm(false, true, s.OutChannels, s.PatchSize, columns, 1f, big, columns, col, columns, 0f, dw, s.PatchSize);
    }

    private void Im2Col(ConvGeometry g, View x, View col)
    {
        int length = (int)((long)g.InChannels * g.KernelH * g.KernelW * g.Columns);
        if (length == 0) return;
        _im2col ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, ConvGeometry, View>(ConvKernels.Im2Col);
        _im2col(length, x, g, col);
    }

    // dy: (N, O, S) → big: (O, N·S)
    private void ChannelsFirst(Conv2dShape s, View dy, View big)
    {
        _channelsFirst ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, View, int, int, int, View>(ConvKernels.ChannelsFirst);
        _channelsFirst(s.OutputLength, dy, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth, big);
    }

    private static ConvGeometry CheckConv(string op, Conv2dShape s, long inputLength, long weightLength, long outputLength, View col, View big)
    {
        if (s.Batch < 0 || s.InChannels < 0 || s.OutChannels < 0 || s.Height < 0 || s.Width < 0 || s.KernelH <= 0 || s.KernelW <= 0
            || s.StrideH <= 0 || s.StrideW <= 0 || s.PadH < 0 || s.PadW < 0 || s.DilationH <= 0 || s.DilationW <= 0
            || s.OutHeight <= 0 || s.OutWidth <= 0)
            throw new ArgumentException($"GpuDevice.{op}: invalid geometry {s}.");
        var (colLength, bigLength) = Conv2dScratch(s);
        CheckIndexable(op, Math.Max(colLength, Math.Max(bigLength, Math.Max(s.InputLength, s.WeightLength))), "patch matrix");
        CheckAtLeast(op, s.InputLength, inputLength, "input");
        CheckAtLeast(op, s.WeightLength, weightLength, "weight");
        CheckAtLeast(op, s.OutputLength, outputLength, "output");
        CheckAtLeast(op, colLength, col.Length, "col scratch");
        CheckAtLeast(op, bigLength, big.Length, "channels-first scratch");
        return ConvGeometry.Of(s);
    }
}
