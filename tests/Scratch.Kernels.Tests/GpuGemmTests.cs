using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;
using static Scratch.Kernels.Tests.Gpu.GpuTestData;

namespace Scratch.Kernels.Tests.Gpu;

// The tiled GEMM (64×64 blocks, 16-deep k-steps, 4×4 per thread) on the ILGPU CPU simulator
// against Cpu.Reference.Gemm. Shapes straddle the tiles: smaller than one, not multiples,
// M < K and M > K, K = 0; every transpose combination. Kept small: the simulator runs each
// 256-thread group with real threads and barriers.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuGemmTests(string simulator)
{
    private const double Rel = 1e-4;
    private GpuDevice Device => GpuSimulator.Get(simulator);

    private static readonly (int M, int N, int K)[] Shapes =
        [(1, 1, 1), (7, 7, 7), (33, 33, 33), (45, 33, 40), (5, 9, 70), (70, 9, 5), (65, 66, 17)];

    private static IEnumerable<TestCaseData> Cases() =>
        from shape in Shapes
        from transA in new[] { false, true }
        from transB in new[] { false, true }
        select new TestCaseData(shape.M, shape.N, shape.K, transA, transB);

    [TestCaseSource(nameof(Cases))]
    public void Gemm_MatchesReference(int m, int n, int k, bool transA, bool transB)
    {
        RunAndCompare(transA, transB, m, n, k, alpha: 1f, beta: 0f, padA: 0, padB: 0, padC: 0);
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    public void Gemm_AlphaBeta_AndLeadingDimensions_MatchReference(bool transA, bool transB)
    {
        RunAndCompare(transA, transB, 19, 23, 29, alpha: -1.5f, beta: 0.75f, padA: 3, padB: 5, padC: 2);
    }

    [Test]
    public void Gemm_KZero_ScalesC()
    {
        RunAndCompare(false, false, 9, 11, 0, alpha: 2f, beta: 0.5f, padA: 0, padB: 0, padC: 0);
    }

    [Test]
    public void Gemm_BetaZero_OverwritesNaNInC()
    {
        using var a = Device.Upload(Uniform(6, seed: 21));     // (2, 3)
        using var b = Device.Upload(Uniform(12, seed: 22));    // (3, 4)
        using var c = Device.Upload(Enumerable.Repeat(float.NaN, 8).ToArray());
        Device.Gemm(false, false, 2, 4, 3, 1f, a.View, 3, b.View, 4, 0f, c.View, 4);
        Assert.That(c.ToArray(), Has.None.NaN);
    }

    [Test]
    public void Gemm_OnOffsetViews_TouchesOnlyItsBlock()
    {
        // C is the middle (3, 4) block of a (5, 6) matrix: a tensor view with an offset and ldc.
        float[] big = Uniform(30, seed: 23);
        var expected = (float[])big.Clone();
        var a = Uniform(6, seed: 24);    // (3, 2)
        var b = Uniform(8, seed: 25);    // (2, 4)
        Reference.Gemm<float>(false, false, 3, 4, 2, 1f, a, 2, b, 4, 1f, expected.AsSpan(7), 6);
        using var ad = Device.Upload(a);
        using var bd = Device.Upload(b);
        using var cd = Device.Upload(big);
        Device.Gemm(false, false, 3, 4, 2, 1f, ad.View, 2, bd.View, 4, 1f, cd.Slice(7, 23), 6);
        AssertClose(expected, cd.ToArray(), Rel, 1, "C");
    }

    [Test]
    public void Gemm_BadLeadingDimension_ThrowsNamingIt()
    {
        using var a = Device.Allocate(12);
        var error = Assert.Throws<ArgumentException>(() =>
            Device.Gemm(false, false, 3, 4, 4, 1f, a.View, 3, a.View, 4, 0f, a.View, 4));
        Assert.That(error!.Message, Does.Contain("GpuDevice.Gemm").And.Contain("lda=3"));
    }

    [Test]
    public void Gemm_BufferTooShort_ThrowsWithShape()
    {
        using var a = Device.Allocate(11);
        using var b = Device.Allocate(16);
        using var c = Device.Allocate(12);
        var error = Assert.Throws<ArgumentException>(() =>
            Device.Gemm(false, false, 3, 4, 4, 1f, a.View, 4, b.View, 4, 0f, c.View, 4));
        Assert.That(error!.Message, Does.Contain("A (3, 4) with lda=4").And.Contain("needs at least 12"));
    }

    private void RunAndCompare(bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        int padA, int padB, int padC)
    {
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + padA, ldb = bCols + padB, ldc = n + padC;
        var a = Uniform(Math.Max(aRows * lda, 1), seed: 31);
        var b = Uniform(Math.Max(bRows * ldb, 1), seed: 32);
        var c = Uniform(m * ldc, seed: 33);
        var expected = (float[])c.Clone();
        Reference.Gemm<float>(transA, transB, m, n, k, alpha, a, Math.Max(lda, 1), b, Math.Max(ldb, 1), beta, expected, ldc);

        using var ad = Device.Upload(a);
        using var bd = Device.Upload(b);
        using var cd = Device.Upload(c);
        Device.Gemm(transA, transB, m, n, k, alpha, ad.View, Math.Max(lda, 1), bd.View, Math.Max(ldb, 1), beta, cd.View, ldc);
        // Inputs in [-1, 1): each output's error scales with k, not with its (possibly tiny) value.
        AssertClose(expected, cd.ToArray(), Rel, Math.Max(1, k), $"C (m={m}, n={n}, k={k}, transA={transA}, transB={transB})");
    }
}
