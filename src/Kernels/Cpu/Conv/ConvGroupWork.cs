using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The three products of a convolution, one group of images per part (CpuKernels.Conv.cs says why).
/// A part reads and writes only its own images (forward, input gradient) or its own partial weight
/// gradient, so any thread may run any part. Each class is kept per calling thread ([ThreadStatic])
/// and refilled, so a call allocates no closure.
/// </summary>
/// <remarks>
/// The operands are pointers because a part runs on another thread than the caller's spans live on;
/// the caller pins them for the duration of <see cref="WorkerPool.Run"/>.
/// </remarks>
internal abstract unsafe class ConvGroupWork<T> : ParallelWork where T : unmanaged, IFloatingPointIeee754<T>
{
    protected Conv2dShape Shape;
    protected int ImagesPerGroup;
    // Image side (x, or dx for the input gradient), weight (w or dw), output side (y or dy).
    protected T* Image, Weight, Output;

    public void Set(Conv2dShape s, int imagesPerGroup, T* image, T* weight, T* output)
    {
        if (imagesPerGroup < 1) throw new ArgumentException($"conv2d: images per group must be at least 1, got {imagesPerGroup}");
        Shape = s; ImagesPerGroup = imagesPerGroup;
        Image = image; Weight = weight; Output = output;
    }

    protected int Groups => ImageGroups.Count(Shape.Batch, ImagesPerGroup);

    // Group g: images [first, first + count), the last group possibly shorter.
    protected (int First, int Count) GroupOf(int g)
    {
        int first = g * ImagesPerGroup;
        return (first, Math.Min(ImagesPerGroup, Shape.Batch - first));
    }

    protected int Spatial => Shape.OutHeight * Shape.OutWidth;

    // The group's images (count, C, H, W) and outputs (count, O, OH, OW) inside the whole batch's.
    protected Span<T> ImagesOf(int first, int count)
    {
        int per = Shape.InChannels * Shape.Height * Shape.Width;
        return new Span<T>(Image + (long)first * per, count * per);
    }

    protected Span<T> OutputsOf(int first, int count)
    {
        int per = Shape.OutChannels * Spatial;
        return new Span<T>(Output + (long)first * per, count * per);
    }

    protected ReadOnlySpan<T> W => new(Weight, Shape.WeightLength);
}

/// <summary>y_g = W · col_g per group, copied into NCHW with the bias.</summary>
internal sealed unsafe class ConvForwardWork<T> : ConvGroupWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static ConvForwardWork<T>? _ofThisThread;
    public static ConvForwardWork<T> OfThisThread => _ofThisThread ??= new();

    public T* Bias;
    public bool HasBias;

    public void RunAll() => WorkerPool.Run(this, Groups);

    // x_g: (G, C, H, W) → col_g (C·KH·KW, G·S) → Y_g (O, G·S) → y_g (G, O, S)
    public override void Run(int g)
    {
        var (first, count) = GroupOf(g);
        var s = Shape with { Batch = count };
        int columns = count * Spatial;
        var col = ArrayPool<T>.Shared.Rent(s.PatchSize * columns);
        var yg = ArrayPool<T>.Shared.Rent(s.OutChannels * columns);
        try
        {
            Im2Col.Gather(s, ImagesOf(first, count), col);
            CpuKernels.Gemm(false, false, s.OutChannels, columns, s.PatchSize, T.One, W, s.PatchSize, col, columns, T.Zero, yg, columns);
            ChannelMajor.ToImages(s, yg, HasBias ? new ReadOnlySpan<T>(Bias, s.OutChannels) : default, OutputsOf(first, count));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(yg);
            ArrayPool<T>.Shared.Return(col);
        }
    }
}

/// <summary>
/// dcol_g = Wᵀ · dY_g per group, written into the group's dx by col2im while it is in cache, and a
/// transposed convolution's bias added to it there (bias (C) over dx (G, C, H, W)).
/// </summary>
internal sealed unsafe class ConvInputGradWork<T> : ConvGroupWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static ConvInputGradWork<T>? _ofThisThread;
    public static ConvInputGradWork<T> OfThisThread => _ofThisThread ??= new();

    public T* Bias;
    public bool HasBias;

    public void RunAll() => WorkerPool.Run(this, Groups);

    // dy_g: (G, O, S) → dY_g (O, G·S) → dcol_g (C·KH·KW, G·S) → dx_g (G, C, H, W), overwritten
    public override void Run(int g)
    {
        var (first, count) = GroupOf(g);
        var s = Shape with { Batch = count };
        int columns = count * Spatial;
        var dyg = ArrayPool<T>.Shared.Rent(s.OutChannels * columns);
        var dcol = ArrayPool<T>.Shared.Rent(s.PatchSize * columns);
        try
        {
            ChannelMajor.FromImages(s, OutputsOf(first, count), dyg);
            // W is stored (O, C·KH·KW), so Wᵀ is transA.
            CpuKernels.Gemm(true, false, s.PatchSize, columns, s.OutChannels, T.One, W, s.PatchSize, dyg, columns, T.Zero, dcol, columns);
            var dx = ImagesOf(first, count);
            Im2Col.Scatter(s, dcol, dx);
            if (HasBias) ChannelBias.Add(count, s.InChannels, s.Height * s.Width, new ReadOnlySpan<T>(Bias, s.InChannels), dx);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(dcol);
            ArrayPool<T>.Shared.Return(dyg);
        }
    }
}

/// <summary>
/// dW = Σ_g dY_g · col_gᵀ: chunk c sums its consecutive groups into its own partial (chunk 0 into dW
/// itself), then the partials are added into dW in chunk order.
/// </summary>
internal unsafe class ConvWeightGradWork<T> : ConvGroupWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static ConvWeightGradWork<T>? _ofThisThread;
    public static ConvWeightGradWork<T> OfThisThread => _ofThisThread ??= new();

    private int _groupsPerChunk;
    private T[]? _partials;

    public void RunAll(int chunks)
    {
        if (chunks < 1) throw new ArgumentException($"conv2d backward weight: chunks must be at least 1, got {chunks}");
        int groups = Groups;
        _groupsPerChunk = (groups + chunks - 1) / chunks;
        int used = (groups + _groupsPerChunk - 1) / _groupsPerChunk;
        int length = Shape.WeightLength;
        _partials = used > 1 ? ArrayPool<T>.Shared.Rent((used - 1) * length) : null;
        try
        {
            WorkerPool.Run(this, used);
            var dw = new Span<T>(Weight, length);
            for (int c = 1; c < used; c++) TensorPrimitives.Add(dw, _partials.AsSpan((c - 1) * length, length), dw);
        }
        finally
        {
            if (_partials is not null) ArrayPool<T>.Shared.Return(_partials);
            _partials = null;
        }
    }

    // Chunk c: dW_c (O, C·KH·KW) = Σ over its groups of dY_g (O, G·S) · col_gᵀ, beta = 1 after the first.
    public override void Run(int c)
    {
        int length = Shape.WeightLength;
        var target = c == 0 ? new Span<T>(Weight, length) : _partials.AsSpan((c - 1) * length, length);
        int groupEnd = Math.Min(Groups, (c + 1) * _groupsPerChunk);
        for (int g = c * _groupsPerChunk; g < groupEnd; g++)
        {
            var (first, count) = GroupOf(g);
            var s = Shape with { Batch = count };
            int columns = count * Spatial;
            var col = ArrayPool<T>.Shared.Rent(s.PatchSize * columns);
            var dyg = ArrayPool<T>.Shared.Rent(s.OutChannels * columns);
            try
            {
                Im2Col.Gather(s, ImagesOf(first, count), col);
                AlsoFromPatches(s, first, col);
                ChannelMajor.FromImages(s, OutputsOf(first, count), dyg);
                // col_g is stored (C·KH·KW, G·S), so col_gᵀ is transB.
                T beta = g == c * _groupsPerChunk ? T.Zero : T.One;
                CpuKernels.Gemm(false, true, s.OutChannels, s.PatchSize, columns, T.One, dyg, columns, col, columns, beta, target, s.PatchSize);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(dyg);
                ArrayPool<T>.Shared.Return(col);
            }
        }
    }

    // A subclass's chance to use the group's patch matrix col_g (C·KH·KW, G·S) while it is in cache.
    protected virtual void AlsoFromPatches(Conv2dShape group, int first, T[] col) { }
}

/// <summary>
/// The two products that read the same patches, from one im2col per group: y = conv2d(x, w) and
/// dW = Σ_g dY_g · col_gᵀ for a dY shaped like y. A transposed convolution's backward is exactly this
/// pair (its input gradient is a convolution of its dy, its weight gradient im2cols the same dy), so
/// it gathers dy's patches once instead of twice. The weight gradient runs as in the base class, in
/// the same chunks and order; each group's forward product is the same GEMM as ConvForwardWork's — the
/// results are bitwise those of the two separate calls.
/// </summary>
internal sealed unsafe class ConvForwardAndWeightGradWork<T> : ConvWeightGradWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static ConvForwardAndWeightGradWork<T>? _ofThisThread;
    public static new ConvForwardAndWeightGradWork<T> OfThisThread => _ofThisThread ??= new();

    // The forward product's weight w (O, C, KH, KW) and output y (N, O, OH, OW).
    public T* Filter, Result;

    // col_g (C·KH·KW, G·S) → Y_g = W · col_g (O, G·S) → y_g (G, O, S)
    protected override void AlsoFromPatches(Conv2dShape group, int first, T[] col)
    {
        int columns = group.Batch * Spatial;
        var yg = ArrayPool<T>.Shared.Rent(group.OutChannels * columns);
        try
        {
            CpuKernels.Gemm(false, false, group.OutChannels, columns, group.PatchSize, T.One,
                new ReadOnlySpan<T>(Filter, group.WeightLength), group.PatchSize, col, columns, T.Zero, yg, columns);
            int per = group.OutChannels * Spatial;
            ChannelMajor.ToImages(group, yg, default, new Span<T>(Result + (long)first * per, group.Batch * per));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(yg);
        }
    }
}

/// <summary>x (N, C, S) += bias[c] on every element of channel c.</summary>
internal static class ChannelBias
{
    public static void Add<T>(int batch, int channels, int spatial, ReadOnlySpan<T> bias, Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < channels; c++)
        {
            var plane = x.Slice((n * channels + c) * spatial, spatial);
            TensorPrimitives.Add(plane, bias[c], plane);
        }
    }
}

/// <summary>
/// A group's outputs between the layout of the tensor, (G, O, S), and the layout in which the group is
/// one GEMM operand, (O, G·S). A small in-cache permutation, G·O contiguous runs of S elements.
/// </summary>
internal static class ChannelMajor
{
    // y: (G, O, S) → big: (O, G·S)
    public static void FromImages<T>(Conv2dShape s, ReadOnlySpan<T> y, Span<T> big) where T : unmanaged
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        for (int n = 0; n < s.Batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
            y.Slice((n * s.OutChannels + o) * spatial, spatial).CopyTo(big.Slice(o * columns + n * spatial, spatial));
    }

    // big: (O, G·S) → y: (G, O, S), adding bias[o] to channel o when a bias is given.
    public static void ToImages<T>(Conv2dShape s, ReadOnlySpan<T> big, ReadOnlySpan<T> bias, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        for (int n = 0; n < s.Batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
        {
            var src = big.Slice(o * columns + n * spatial, spatial);
            var dst = y.Slice((n * s.OutChannels + o) * spatial, spatial);
            if (bias.IsEmpty) src.CopyTo(dst);
            else TensorPrimitives.Add(src, bias[o], dst);
        }
    }
}
