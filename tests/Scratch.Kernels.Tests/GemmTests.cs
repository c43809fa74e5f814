using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Gemm;

namespace Scratch.Kernels.Tests;

// The fast GEMM against the reference loop: every transpose combination, shapes that are not
// tile multiples (12 × 32, 6 × 16, 4 × 8 and 8 × 12 tiles), M < K and M > K, narrow N, empty
// dimensions, padded leading dimensions, alpha and beta, float and double, every micro-kernel.
public class GemmTests
{
    // (m, n, k): 1s, primes around the tile sizes, M < K and M > K, K across a KC block edge.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (7, 7, 7), (33, 33, 33), (45, 33, 40), (1, 50, 3), (50, 1, 3), (3, 5, 300),
        (13, 31, 259), (100, 20, 7), (25, 65, 600), (12, 32, 16), (24, 64, 1),
        // The narrow-N path (N ≤ 40 runs as Cᵀ): the VAE's heads, N on and off every MR.
        (128, 20, 400), (37, 40, 20), (130, 9, 33),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return new TestCaseData(ta, tb, m, n, k).SetName($"Gemm({(ta ? "T" : "N")}{(tb ? "T" : "N")}, {m}x{n}x{k})");
    }

    [TestCaseSource(nameof(Cases))]
    public void Float_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 0, seed: m * 1000 + n * 10 + k);
        r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: 1f, beta: 0f, 1e-5);
    }

    [TestCaseSource(nameof(Cases))]
    public void Double_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<double>.Random(transA, transB, m, n, k, pad: 0, seed: m + n + k);
        r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: 1.0, beta: 0.0, 1e-12);
    }

    [TestCaseSource(nameof(Cases))]
    public void Float_PaddedLeadingDimensions_AlphaBeta_PaddingUntouched(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 3, seed: 7);
        r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: -0.75f, beta: 1.5f, 1e-5);
    }

    [TestCaseSource(nameof(Cases))]
    public void Double_PaddedLeadingDimensions_AlphaBeta_PaddingUntouched(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<double>.Random(transA, transB, m, n, k, pad: 5, seed: 11);
        r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: 2.0, beta: -0.5, 1e-12);
    }

    // The AVX2 micro-kernel is what machines without AVX-512 run: test it here too.
    [TestCaseSource(nameof(Cases))]
    public void Float_Avx2Kernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 2, seed: 3);
        r.AssertFastMatchesReference(CpuKernels.Gemm<float, MicroKernel256<float>>, alpha: 0.5f, beta: 2f, 1e-5);
    }

    [TestCaseSource(nameof(Cases))]
    public void Double_Avx2Kernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<double>.Random(transA, transB, m, n, k, pad: 1, seed: 5);
        r.AssertFastMatchesReference(CpuKernels.Gemm<double, MicroKernel256<double>>, alpha: 1.0, beta: 0.25, 1e-12);
    }

    // The 128-bit kernel is what SSE-only x64 and Arm64 run.
    [TestCaseSource(nameof(Cases))]
    public void Float_Vector128Kernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 1, seed: 13);
        r.AssertFastMatchesReference(CpuKernels.Gemm<float, MicroKernel128<float>>, alpha: 1.5f, beta: 0f, 1e-5);
    }

    [TestCaseSource(nameof(Cases))]
    public void Double_Vector128Kernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<double>.Random(transA, transB, m, n, k, pad: 2, seed: 17);
        r.AssertFastMatchesReference(CpuKernels.Gemm<double, MicroKernel128<double>>, alpha: -1.0, beta: 3.0, 1e-12);
    }

    // The Arm64 kernel (8 × 12, 24 accumulators) is portable Vector128 code: here on x64 it
    // spills registers but must compute the same products.
    [TestCaseSource(nameof(Cases))]
    public void Float_Vector128WideKernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 3, seed: 19);
        r.AssertFastMatchesReference(CpuKernels.Gemm<float, MicroKernel128Wide<float>>, alpha: 0.75f, beta: -1f, 1e-5);
    }

    [TestCaseSource(nameof(Cases))]
    public void Double_Vector128WideKernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<double>.Random(transA, transB, m, n, k, pad: 0, seed: 23);
        r.AssertFastMatchesReference(CpuKernels.Gemm<double, MicroKernel128Wide<double>>, alpha: 1.0, beta: 0.0, 1e-12);
    }

    // Every kernel without the narrow-N path: the plain path must stay right on narrow shapes too
    // (it is what the narrow path's Cᵀ problem runs, with its roles swapped).
    [TestCaseSource(nameof(Cases))]
    public void Float_AsStored_EveryKernel_MatchesReference(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 1, seed: 29);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            r.AssertFastMatchesReference(CpuKernels.GemmAsStored<float, MicroKernel512<float>>, alpha: 1f, beta: 0.5f, 1e-5);
        r.AssertFastMatchesReference(CpuKernels.GemmAsStored<float, MicroKernel256<float>>, alpha: 1f, beta: 0.5f, 1e-5);
        r.AssertFastMatchesReference(CpuKernels.GemmAsStored<float, MicroKernel128<float>>, alpha: 1f, beta: 0.5f, 1e-5);
        r.AssertFastMatchesReference(CpuKernels.GemmAsStored<float, MicroKernel128Wide<float>>, alpha: 1f, beta: 0.5f, 1e-5);
    }

    [TestCase(0, 5, 4)]
    [TestCase(5, 0, 4)]
    [TestCase(5, 4, 0)]
    [TestCase(0, 0, 0)]
    public void EmptyDimensions_MatchReference(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var r = GemmCase<float>.Random(ta, tb, m, n, k, pad: 2, seed: 1);
                r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: 1f, beta: 0.5f, 0f);
                // beta = 0 with k = 0: C becomes zeros.
                r = GemmCase<float>.Random(ta, tb, m, n, k, pad: 2, seed: 1);
                r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: 1f, beta: 0f, 0f);
            }
    }

    [TestCase(1, 1, 1)]
    [TestCase(45, 33, 40)]
    [TestCase(13, 70, 0)]
    public void BetaZero_NaNInC_DoesNotLeak(int m, int n, int k)
    {
        var r = GemmCase<float>.Random(false, true, m, n, k, pad: 0, seed: 2);
        r.FillC(float.NaN);
        r.AssertFastMatchesReference(CpuKernels.Gemm, alpha: 1f, beta: 0f, 1e-5);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.That(float.IsNaN(r.FastC[i * r.Ldc + j]), Is.False, $"C[{i}, {j}] is NaN");
    }
}
