using System.Numerics;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Gemm;

namespace Scratch.Kernels.Tests;

// The narrow-N path (C computed as Cᵀ, its tiles written to C transposed) against the path as
// stored, bitwise: each element is the same FMA chain over k either way (the products commute
// exactly, the k blocks are the same), so any difference is a bug in the transposed write-back.
// Alpha 1 with beta 0 takes the register transpose of the scratch tile; other alpha/beta the
// element-by-element merge. Shapes where some float kernel takes the path (asserted, so a float
// test cannot go vacuous), with k over one KC block and over several; the padding of C stays untouched.
public class GemmNarrowPathTests
{
    private static readonly (int M, int N, int K)[] Shapes = [(128, 20, 400), (128, 40, 20), (130, 9, 33), (61, 20, 1100)];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return new TestCaseData(ta, tb, m, n, k).SetName($"NarrowPath({(ta ? "T" : "N")}{(tb ? "T" : "N")}, {m}x{n}x{k})");
    }

    [TestCaseSource(nameof(Cases))]
    public void Float_EveryKernel_BitwiseAsStored(bool transA, bool transB, int m, int n, int k)
    {
        int ran = 0;
        if (Vector512.IsHardwareAccelerated) ran += Check<float, MicroKernel512<float>>(transA, transB, m, n, k);
        if (Vector256.IsHardwareAccelerated) ran += Check<float, MicroKernel256<float>>(transA, transB, m, n, k);
        ran += Check<float, MicroKernel128<float>>(transA, transB, m, n, k);
        ran += Check<float, MicroKernel128Wide<float>>(transA, transB, m, n, k);
        Assert.That(ran, Is.GreaterThan(0), "no kernel took the narrow path on this shape");
    }

    [TestCaseSource(nameof(Cases))]
    public void Double_EveryKernel_BitwiseAsStored(bool transA, bool transB, int m, int n, int k)
    {
        int ran = 0;
        if (Vector512.IsHardwareAccelerated) ran += Check<double, MicroKernel512<double>>(transA, transB, m, n, k);
        if (Vector256.IsHardwareAccelerated) ran += Check<double, MicroKernel256<double>>(transA, transB, m, n, k);
        ran += Check<double, MicroKernel128<double>>(transA, transB, m, n, k);
        ran += Check<double, MicroKernel128Wide<double>>(transA, transB, m, n, k);
        // Double tiles are half as wide: without AVX-512 no double kernel may take the path here;
        // with it the 12 × 16 kernel takes it on the 128-row shapes.
        if (Vector512.IsHardwareAccelerated && m >= 128 && n <= 20)
            Assert.That(ran, Is.GreaterThan(0), "no double kernel took the narrow path on this shape");
    }

    // Runs the comparison where this kernel takes the narrow path; returns 1 if it did, else 0.
    private static int Check<T, TKernel>(bool transA, bool transB, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IMicroKernel<T>
    {
        if (!NarrowN.Pays(m, n, TKernel.MR, TKernel.NR)) return 0;
        var r = GemmCase<T>.Random(transA, transB, m, n, k, pad: 3, seed: m + 7 * n + 13 * k);
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.75, 1.5) })
        {
            T a = T.CreateChecked(alpha), b = T.CreateChecked(beta);
            var narrow = (T[])r.C0.Clone();
            var stored = (T[])r.C0.Clone();
            CpuKernels.Gemm<T, TKernel>(transA, transB, m, n, k, a, r.A, r.Lda, r.B, r.Ldb, b, narrow, r.Ldc, new GemmOptions<T>(), narrowPath: true);
            CpuKernels.Gemm<T, TKernel>(transA, transB, m, n, k, a, r.A, r.Lda, r.B, r.Ldb, b, stored, r.Ldc, new GemmOptions<T>(), narrowPath: false);
            // Every slot, padding included: the padding holds C0's sentinel in both.
            for (int i = 0; i < narrow.Length; i++)
                Assert.That(narrow[i], Is.EqualTo(stored[i]), $"{TKernel.Name}, alpha {alpha}, beta {beta}: C slot {i} (row {i / r.Ldc}, column {i % r.Ldc})");
            for (int i = 0; i < m; i++)
                for (int j = n; j < r.Ldc; j++)
                    Assert.That(narrow[i * r.Ldc + j], Is.EqualTo(r.C0[i * r.Ldc + j]), $"{TKernel.Name}: padding C[{i}, {j}] overwritten");
        }
        return 1;
    }
}
