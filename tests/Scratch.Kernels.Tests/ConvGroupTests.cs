using System.Numerics;
using Scratch.Kernels.Cpu;
using static Scratch.Kernels.Tests.ConvKernelTests;

namespace Scratch.Kernels.Tests;

// The grouped convolution (CpuKernels.Conv.cs: the batch in groups of images, the weight gradient
// summed in chunks of groups) with group sizes and chunk counts chosen by the test instead of by the
// cache size: groups that do not divide the batch, one image per group, one group for the whole
// batch, more chunks than groups; against the nested-loop Reference, and 1 vs 2 threads bitwise.
public class ConvGroupTests
{
    private static readonly Conv2dShape[] Shapes =
    [
        new(5, 3, 7, 6, 4, 3, 2, StrideH: 2, StrideW: 1, PadH: 1, PadW: 0),         // odd sizes, batch 5
        new(7, 2, 9, 8, 5, 3, 3, StrideH: 2, StrideW: 3, PadH: 2, PadW: 1, DilationH: 2, DilationW: 1),
        new(6, 8, 14, 14, 16, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),      // the conv VAE's 32→64 layer, narrowed
        new(1, 4, 5, 5, 3, 3, 3, PadH: 1, PadW: 1),                                 // batch 1
    ];

    // (images per group, weight-gradient chunks)
    private static readonly (int Group, int Chunks)[] Splits = [(1, 1), (1, 3), (2, 2), (3, 8), (4, 2), (100, 1)];

    private static IEnumerable<TestCaseData> Cases() =>
        from s in Shapes.Select((s, i) => (s, i))
        from split in Splits
        select new TestCaseData(s.s, split.Group, split.Chunks).SetName($"Grouped conv case {s.i}, {split.Group} per group, {split.Chunks} chunks");

    [TestCaseSource(nameof(Cases))]
    public void Float_GroupedMatchesReference(Conv2dShape s, int group, int chunks) => Check<float>(s, group, chunks, 2e-5);

    [TestCaseSource(nameof(Cases))]
    public void Double_GroupedMatchesReference(Conv2dShape s, int group, int chunks) => Check<double>(s, group, chunks, 1e-12);

    [TestCaseSource(nameof(Cases))]
    public void OneAndTwoThreads_BitwiseEqual(Conv2dShape s, int group, int chunks)
    {
        var one = Run<float>(s, group, chunks, threads: 1);
        var two = Run<float>(s, group, chunks, threads: 2);
        for (int k = 0; k < one.Length; k++)
            Assert.That(two[k], Is.EqualTo(one[k]).AsCollection, $"output {k} differs between 1 and 2 threads");
    }

    // The shared-patch pair (a transposed convolution's backward) is bitwise the two separate calls,
    // on 1 and 2 threads, in float and double; outputs start as NaN so every element must be written.
    [TestCaseSource(nameof(Cases))]
    public void ForwardAndWeightGradient_SharedPatches_BitwiseEqualTheSeparateCalls(Conv2dShape s, int group, int chunks)
    {
        SharedEqualsSeparate<float>(s, group, chunks);
        SharedEqualsSeparate<double>(s, group, chunks);
    }

    private static void SharedEqualsSeparate<T>(Conv2dShape s, int group, int chunks) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(s.InputLength, 1);
        var w = Random<T>(s.WeightLength, 2);
        var dy = Random<T>(s.OutputLength, 4);
        var y = new T[s.OutputLength];
        var dw = new T[s.WeightLength];
        CpuKernels.Conv2dForward<T>(s, x, w, ReadOnlySpan<T>.Empty, y, group);
        CpuKernels.Conv2dBackwardWeight<T>(s, x, dy, dw, group, chunks);
        foreach (int threads in new[] { 1, 2 })
        {
            using var _ = CpuThreads.Use(threads);
            var ySharing = Enumerable.Repeat(T.NaN, s.OutputLength).ToArray();
            var dwSharing = Enumerable.Repeat(T.NaN, s.WeightLength).ToArray();
            CpuKernels.Conv2dForwardAndBackwardWeight<T>(s, x, w, ySharing, dy, dwSharing, group, chunks);
            Assert.That(ySharing, Is.EqualTo(y).AsCollection, $"{typeof(T).Name} forward, {threads} thread(s)");
            Assert.That(dwSharing, Is.EqualTo(dw).AsCollection, $"{typeof(T).Name} weight gradient, {threads} thread(s)");
        }
    }

    // A transposed convolution's bias added by the input-gradient kernel per group is bitwise the
    // kernel followed by one broadcast addition, on 1 and 2 threads; dx starts as NaN.
    [TestCaseSource(nameof(Cases))]
    public void InputGradient_WithBias_BitwiseTheKernelThenTheAddition(Conv2dShape s, int group, int chunks)
    {
        WithBiasEqualsAddition<float>(s, group);
        WithBiasEqualsAddition<double>(s, group);
    }

    private static void WithBiasEqualsAddition<T>(Conv2dShape s, int group) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Random<T>(s.WeightLength, 2);
        var bias = Random<T>(s.InChannels, 5);
        var dy = Random<T>(s.OutputLength, 4);
        var expected = new T[s.InputLength];
        CpuKernels.Conv2dBackwardInput<T>(s, dy, w, ReadOnlySpan<T>.Empty, expected, group);
        int plane = s.Height * s.Width;
        for (int i = 0; i < expected.Length; i++) expected[i] += bias[i / plane % s.InChannels];
        foreach (int threads in new[] { 1, 2 })
        {
            using var _ = CpuThreads.Use(threads);
            var dx = Enumerable.Repeat(T.NaN, s.InputLength).ToArray();
            CpuKernels.Conv2dBackwardInput<T>(s, dy, w, bias, dx, group);
            Assert.That(dx, Is.EqualTo(expected).AsCollection, $"{typeof(T).Name}, {threads} thread(s)");
        }
    }

    [Test]
    public void ForwardAndWeightGradient_DefaultSplit_MatchesReference()
    {
        var s = new Conv2dShape(24, 32, 14, 14, 64, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1);
        var x = Random<float>(s.InputLength, 1);
        var w = Random<float>(s.WeightLength, 2);
        var dy = Random<float>(s.OutputLength, 4);
        var y = new float[s.OutputLength];
        var dw = new float[s.WeightLength];
        CpuKernels.Conv2dForwardAndBackwardWeight<float>(s, x, w, y, dy, dw);
        var yRef = new float[s.OutputLength];
        var dwRef = new float[s.WeightLength];
        Reference.Conv2dForward<float>(s, x, w, ReadOnlySpan<float>.Empty, yRef);
        Reference.Conv2dBackwardWeight<float>(s, x, dy, dwRef);
        AssertClose(y, yRef, 2e-5, "forward");
        AssertClose(dw, dwRef, 2e-4, "weight gradient");
    }

    [Test]
    public void DefaultSplit_OneAndTwoThreads_BitwiseEqual()
    {
        // The conv VAE's 32→64 layer at a batch large enough for several groups and chunks on this machine.
        var s = new Conv2dShape(24, 32, 14, 14, 64, 4, 4, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1);
        var x = Random<float>(s.InputLength, 1);
        var w = Random<float>(s.WeightLength, 2);
        var dy = Random<float>(s.OutputLength, 4);
        float[][] RunWith(int threads)
        {
            using var _ = CpuThreads.Use(threads);
            var y = new float[s.OutputLength];
            var dx = new float[s.InputLength];
            var dw = new float[s.WeightLength];
            CpuKernels.Conv2dForward<float>(s, x, w, ReadOnlySpan<float>.Empty, y);
            CpuKernels.Conv2dBackwardInput<float>(s, dy, w, dx);
            CpuKernels.Conv2dBackwardWeight<float>(s, x, dy, dw);
            return [y, dx, dw];
        }
        var one = RunWith(1);
        var two = RunWith(2);
        for (int k = 0; k < one.Length; k++) Assert.That(two[k], Is.EqualTo(one[k]).AsCollection);
        var dwRef = new float[s.WeightLength];
        Reference.Conv2dBackwardWeight<float>(s, x, dy, dwRef);
        AssertClose(one[2], dwRef, 2e-4, "weight gradient");
    }

    [Test]
    public void BadSplit_NamesTheOp()
    {
        var s = new Conv2dShape(2, 1, 3, 3, 1, 3, 3);
        var ex = Assert.Throws<ArgumentException>(() =>
            CpuKernels.Conv2dBackwardWeight<float>(s, new float[18], new float[2], new float[9], imagesPerGroup: 0, chunks: 1));
        Assert.That(ex!.Message, Does.Contain("images per group"));
        ex = Assert.Throws<ArgumentException>(() =>
            CpuKernels.Conv2dBackwardWeight<float>(s, new float[18], new float[2], new float[9], imagesPerGroup: 1, chunks: 0));
        Assert.That(ex!.Message, Does.Contain("conv2d backward weight").And.Contain("chunks"));
    }

    private static void Check<T>(Conv2dShape s, int group, int chunks, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var got = Run<T>(s, group, chunks, threads: 2);
        var x = Random<T>(s.InputLength, 1);
        var w = Random<T>(s.WeightLength, 2);
        var b = Random<T>(s.OutChannels, 3);
        var dy = Random<T>(s.OutputLength, 4);
        var y = new T[s.OutputLength];
        var dx = new T[s.InputLength];
        var dw = new T[s.WeightLength];
        Reference.Conv2dForward<T>(s, x, w, b, y);
        Reference.Conv2dBackwardInput<T>(s, dy, w, dx);
        Reference.Conv2dBackwardWeight<T>(s, x, dy, dw);
        AssertClose(got[0], y, tolerance, "forward");
        AssertClose(got[1], dx, tolerance, "input gradient");
        AssertClose(got[2], dw, tolerance * 10, "weight gradient");
    }

    // Forward (with bias), input gradient and weight gradient with a chosen split; outputs start as NaN.
    private static T[][] Run<T>(Conv2dShape s, int group, int chunks, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var _ = CpuThreads.Use(threads);
        var x = Random<T>(s.InputLength, 1);
        var w = Random<T>(s.WeightLength, 2);
        var b = Random<T>(s.OutChannels, 3);
        var dy = Random<T>(s.OutputLength, 4);
        var y = Enumerable.Repeat(T.NaN, s.OutputLength).ToArray();
        var dx = Enumerable.Repeat(T.NaN, s.InputLength).ToArray();
        var dw = Enumerable.Repeat(T.NaN, s.WeightLength).ToArray();
        CpuKernels.Conv2dForward<T>(s, x, w, b, y, group);
        CpuKernels.Conv2dBackwardInput<T>(s, dy, w, ReadOnlySpan<T>.Empty, dx, group);
        CpuKernels.Conv2dBackwardWeight<T>(s, x, dy, dw, group, chunks);
        return [y, dx, dw];
    }
}
