using System.Numerics;
using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Tests;

// im2col and col2im through the phase planes and vector runs, against their definition written one
// element at a time: bitwise equal, since a gather copies and each pixel's col2im sum adds its taps
// in the same order. The shapes walk the run length OW across and past the vector widths (1 … 17),
// strides 1–3 on each axis, dilation, padding wider than the kernel, and buffers of exactly the
// patch matrix's length, where the last run's vector may not spill.
public class Im2ColTests
{
    private static readonly Conv2dShape[] Shapes =
    [
        new(2, 32, 14, 14, 64, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),    // the conv VAE's 32→64 layer: OW = 7
        new(3, 1, 28, 28, 32, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),     // its first: OW = 14
        new(2, 3, 5, 1, 2, 1, 1),                                                    // OW = 1
        new(1, 2, 6, 5, 1, 3, 2, StrideH: 1, StrideW: 3, PadH: 2, PadW: 2),         // stride 3, OW = 3
        new(2, 3, 9, 19, 4, 3, 3, StrideH: 2, StrideW: 1, PadH: 1, PadW: 1),        // OW = 19: two vectors and a tail
        new(1, 2, 7, 17, 3, 2, 2, PadH: 0, PadW: 0),                                 // OW = 16: whole vectors only
        new(2, 2, 9, 20, 2, 3, 3, StrideH: 3, StrideW: 2, PadH: 1, PadW: 3, DilationH: 2, DilationW: 3),
        new(1, 1, 4, 4, 1, 2, 2, PadH: 3, PadW: 3, DilationH: 2, DilationW: 2),     // padding wider than the kernel
        new(2, 4, 4, 4, 3, 4, 4),                                                    // 1×1 output
        // Stride 2 along the width takes the eight-column shuffle (StrideTwoRows) in float when
        // W ≥ 8: odd widths, a width that is a multiple of 8, even and odd padding, and W < 8.
        new(2, 2, 5, 9, 2, 3, 3, StrideH: 2, StrideW: 2),                            // W = 9, no padding
        new(1, 3, 6, 11, 2, 4, 4, StrideH: 2, StrideW: 2, PadH: 2, PadW: 2),        // W = 11, padding 2
        new(2, 2, 4, 16, 3, 2, 3, StrideH: 1, StrideW: 2, PadH: 0, PadW: 3),        // W = 16, padding 3
        new(1, 2, 6, 6, 2, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),         // W = 6: element by element
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Shapes.Select((s, i) => new TestCaseData(s).SetName($"Im2col case {i}: {s}"));

    [TestCaseSource(nameof(Cases))]
    public void Float_BitwiseTheDefinition(Conv2dShape s) => Check<float>(s);

    [TestCaseSource(nameof(Cases))]
    public void Double_BitwiseTheDefinition(Conv2dShape s) => Check<double>(s);

    private static void Check<T>(Conv2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columns = s.Batch * s.OutHeight * s.OutWidth, length = s.PatchSize * columns;
        var rng = new Random(7);
        var x = Enumerable.Range(0, s.InputLength).Select(_ => T.CreateTruncating(rng.NextDouble() * 2 - 1)).ToArray();
        var col = Enumerable.Range(0, length).Select(_ => T.CreateTruncating(rng.NextDouble() * 2 - 1)).ToArray();

        // Exactly-sized destination: the last run must not write past it.
        var gathered = new T[length + 3];
        Array.Fill(gathered, T.CreateTruncating(99));
        Im2Col.Gather<T>(s, x, gathered.AsSpan(0, length));
        var expected = DefinitionGather(s, x);
        Assert.That(gathered.AsSpan(0, length).ToArray(), Is.EqualTo(expected), "im2col");
        Assert.That(gathered.AsSpan(length).ToArray(), Is.All.EqualTo(T.CreateTruncating(99)), "im2col wrote past its buffer");

        var dx = new T[s.InputLength];
        Array.Fill(dx, T.CreateTruncating(99));                  // overwritten, not added to
        Im2Col.Scatter<T>(s, col, dx);
        Assert.That(dx, Is.EqualTo(DefinitionScatterAdd(s, col)), "col2im");
    }

    private static T[] DefinitionGather<T>(Conv2dShape s, T[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        var col = new T[s.PatchSize * columns];
        foreach (var (row, column, pixel) in Taps(s))
            col[row * columns + column] = pixel < 0 ? T.Zero : x[pixel];
        return col;
    }

    private static T[] DefinitionScatterAdd<T>(Conv2dShape s, T[] col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spatial = s.OutHeight * s.OutWidth, columns = s.Batch * spatial;
        var dx = new T[s.InputLength];
        foreach (var (row, column, pixel) in Taps(s))
            if (pixel >= 0) dx[pixel] += col[row * columns + column];
        return dx;
    }

    // Every (row of col, column of col, input pixel or −1 in the padding), taps (p, q) outermost so
    // that each pixel's additions come in tap order.
    private static IEnumerable<(int Row, int Column, int Pixel)> Taps(Conv2dShape s)
    {
        int spatial = s.OutHeight * s.OutWidth;
        for (int p = 0; p < s.KernelH; p++)
        for (int q = 0; q < s.KernelW; q++)
        for (int c = 0; c < s.InChannels; c++)
        for (int n = 0; n < s.Batch; n++)
        for (int i = 0; i < s.OutHeight; i++)
        for (int j = 0; j < s.OutWidth; j++)
        {
            int r = i * s.StrideH - s.PadH + p * s.DilationH, w = j * s.StrideW - s.PadW + q * s.DilationW;
            bool inside = r >= 0 && r < s.Height && w >= 0 && w < s.Width;
            yield return ((c * s.KernelH + p) * s.KernelW + q, n * spatial + i * s.OutWidth + j,
                inside ? ((n * s.InChannels + c) * s.Height + r) * s.Width + w : -1);
        }
    }
}
