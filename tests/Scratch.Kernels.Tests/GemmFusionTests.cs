using System.Numerics;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Gemm;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Tests;

/// <summary>The fused GEMM with a chosen kernel and path, as the tests call it.</summary>
public delegate void FusedGemm<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
    ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, in GemmOptions<T> options, bool narrowPath)
    where T : unmanaged, IFloatingPointIeee754<T>;

// The GEMM's fusions (GemmOptions): the bias + activation epilogue and the sums of an operand over
// k taken while it is packed. Each is held bitwise to the unfused passes on the same kernel (the
// GEMM, then the bias and activation loop; a plain sum), and close to Reference.Gemm + bias +
// activation, on every micro-kernel, both paths (as stored and narrow-N), float and double.
public class GemmFusionTests
{
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (7, 9, 5), (33, 33, 33), (13, 31, 259), (25, 65, 600), (12, 32, 16),
        // the narrow-N path (N ≤ 40 runs as Cᵀ, so the bias runs down its rows)
        (128, 20, 400), (37, 40, 20), (130, 9, 33),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return new TestCaseData(ta, tb, m, n, k).SetName($"Fused({(ta ? "T" : "N")}{(tb ? "T" : "N")}, {m}x{n}x{k})");
    }

    private static IEnumerable<(string Name, FusedGemm<T> Gemm)> Kernels<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) yield return ("512", CpuKernels.Gemm<T, MicroKernel512<T>>);
        if (Vector256.IsHardwareAccelerated) yield return ("256", CpuKernels.Gemm<T, MicroKernel256<T>>);
        yield return ("128", CpuKernels.Gemm<T, MicroKernel128<T>>);
        yield return ("128wide", CpuKernels.Gemm<T, MicroKernel128Wide<T>>);
    }

    private static readonly (GemmActivation Activation, bool Bias)[] Epilogues =
    [
        (GemmActivation.Identity, true), (GemmActivation.Relu, true), (GemmActivation.LeakyRelu, true), (GemmActivation.Relu, false),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Float_EveryKernel_BitwiseUnfused_CloseToReference(bool transA, bool transB, int m, int n, int k) =>
        CheckEveryKernel<float>(transA, transB, m, n, k, 1e-5);

    [TestCaseSource(nameof(Cases))]
    public void Double_EveryKernel_BitwiseUnfused_CloseToReference(bool transA, bool transB, int m, int n, int k) =>
        CheckEveryKernel<double>(transA, transB, m, n, k, 1e-13);

    private static void CheckEveryKernel<T>(bool transA, bool transB, int m, int n, int k, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = GemmCase<T>.Random(transA, transB, m, n, k, pad: 2, seed: m * 31 + n * 7 + k);
        var bias = RandomVector<T>(n, seed: n + 5);
        var slope = T.CreateChecked(0.125);
        // Reference.Gemm once per (alpha, beta), and the Σ_p |a·b| the tolerance scales with.
        var products = new Dictionary<(double, double), T[]>();
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.75, 1.5) })
        {
            products[(alpha, beta)] = (T[])r.C0.Clone();
            Reference.Gemm(transA, transB, m, n, k, T.CreateChecked(alpha), r.A, r.Lda, r.B, r.Ldb, T.CreateChecked(beta), products[(alpha, beta)], r.Ldc);
        }
        var magnitude = new T[r.C0.Length];
        Reference.Gemm(transA, transB, m, n, k, T.One, Array.ConvertAll(r.A, T.Abs), r.Lda, Array.ConvertAll(r.B, T.Abs), r.Ldb, T.Zero, magnitude, r.Ldc);
        foreach (var (name, gemm) in Kernels<T>())
            foreach (bool narrow in new[] { true, false })
                foreach (var (activation, withBias) in Epilogues)
                    foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.75, 1.5) })
                    {
                        string what = $"{name} kernel, narrow path {narrow}, {activation}, bias {withBias}, alpha {alpha}, beta {beta}, {r.Describe()}";
                        T a = T.CreateChecked(alpha), b = T.CreateChecked(beta);
                        var rowSums = new T[m];
                        var columnSums = new T[n];
                        var options = new GemmOptions<T>
                        {
                            ColumnBias = withBias ? bias : default, Activation = activation, NegativeSlope = slope,
                            RowSumsOfA = rowSums, ColumnSumsOfB = columnSums,
                        };
                        var fused = (T[])r.C0.Clone();
                        gemm(transA, transB, m, n, k, a, r.A, r.Lda, r.B, r.Ldb, b, fused, r.Ldc, options, narrow);

                        // Unfused on the same kernel: the GEMM, then the epilogue one element at a time.
                        var unfused = (T[])r.C0.Clone();
                        gemm(transA, transB, m, n, k, a, r.A, r.Lda, r.B, r.Ldb, b, unfused, r.Ldc, new GemmOptions<T>(), narrow);
                        PlainEpilogue(unfused, m, n, r.Ldc, withBias ? bias : null, activation, slope);
                        Assert.That(fused, Is.EqualTo(unfused).AsCollection, $"fused vs unfused, {what}");

                        var reference = (T[])products[(alpha, beta)].Clone();
                        PlainEpilogue(reference, m, n, r.Ldc, withBias ? bias : null, activation, slope);
                        AssertClose(fused, reference, magnitude, r, a, b, withBias ? bias : null, eps, what);

                        Assert.That(rowSums, Is.EqualTo(PlainRowSumsOfA(r)).AsCollection, $"row sums of A, {what}");
                        Assert.That(columnSums, Is.EqualTo(PlainColumnSumsOfB(r)).AsCollection, $"column sums of B, {what}");
                    }
    }

    // Shapes big enough for 2 threads, cut by rows and by columns, narrow and wide.
    [TestCase(false, true, 128, 400, 784)]
    [TestCase(true, false, 400, 784, 128)]
    [TestCase(true, false, 300, 20, 128)]
    [TestCase(false, true, 128, 20, 400)]
    [TestCase(true, true, 77, 333, 129)]
    public void Float_OneAndTwoThreads_BitwiseEqual(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 1, seed: 3);
        var bias = RandomVector<float>(n, seed: 4);
        (float[] C, float[] Rows, float[] Columns) Run(int threads)
        {
            var c = (float[])r.C0.Clone();
            var rows = new float[m];
            var columns = new float[n];
            using (CpuThreads.Use(threads))
                CpuKernels.Gemm(transA, transB, m, n, k, 1f, r.A, r.Lda, r.B, r.Ldb, 0f, c, r.Ldc,
                    new GemmOptions<float> { ColumnBias = bias, Activation = GemmActivation.Relu, RowSumsOfA = rows, ColumnSumsOfB = columns });
            return (c, rows, columns);
        }
        var one = Run(1);
        var two = Run(2);
        Assert.That(two.C, Is.EqualTo(one.C).AsCollection);
        Assert.That(two.Rows, Is.EqualTo(one.Rows).AsCollection);
        Assert.That(two.Columns, Is.EqualTo(one.Columns).AsCollection);
        Assert.That(one.Rows, Is.EqualTo(PlainRowSumsOfA(r)).AsCollection);
        Assert.That(one.Columns, Is.EqualTo(PlainColumnSumsOfB(r)).AsCollection);
    }

    // The dense layer's bias gradient: db = Σ_batch dy is ColumnSums(dy), bitwise, when dW = dyᵀ·x
    // packs dy as its A (and as its B when the narrow path swaps the operands: Out = 20).
    [TestCase(128, 400, 784)]
    [TestCase(128, 20, 400)]
    [TestCase(128, 400, 20)]
    public void BiasGradient_FromPackingDy_IsColumnSumsBitwise(int batch, int outFeatures, int inFeatures)
    {
        var rng = new Random(batch + outFeatures);
        var dy = Enumerable.Range(0, batch * outFeatures).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var x = Enumerable.Range(0, batch * inFeatures).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var dw = new float[outFeatures * inFeatures];
        var db = new float[outFeatures];
        // dW (Out, In) = dyᵀ (Out, B) · x (B, In)
        CpuKernels.Gemm(true, false, outFeatures, inFeatures, batch, 1f, dy, outFeatures, x, inFeatures, 0f, dw, inFeatures,
            new GemmOptions<float> { RowSumsOfA = db });
        var expected = new float[outFeatures];
        CpuKernels.ColumnSums<float>(dy, batch, outFeatures, expected);
        Assert.That(db, Is.EqualTo(expected).AsCollection);
        var plain = new float[outFeatures * inFeatures];
        CpuKernels.Gemm(true, false, outFeatures, inFeatures, batch, 1f, dy, outFeatures, x, inFeatures, 0f, plain, inFeatures);
        Assert.That(dw, Is.EqualTo(plain).AsCollection);
    }

    [Test]
    public void KZero_AppliesEpilogueToBetaC_AndSumsAreZero()
    {
        var c = new[] { -1f, 2f, 3f, -4f };
        var rows = new[] { 9f, 9f };
        CpuKernels.Gemm(false, false, 2, 2, 0, 1f, [], 1, [], 2, 1f, c, 2,
            new GemmOptions<float> { ColumnBias = new[] { 0.5f, -10f }, Activation = GemmActivation.Relu, RowSumsOfA = rows });
        Assert.That(c, Is.EqualTo(new[] { 0f, 0f, 3.5f, 0f }).AsCollection);
        Assert.That(rows, Is.EqualTo(new[] { 0f, 0f }).AsCollection);
    }

    [Test]
    public void Relu_KeepsNaN_AndTurnsNegativeZeroToPositive()
    {
        // A 1 × 2 product whose results are NaN and −0: relu keeps NaN and writes +0 (as UnaryOp.Relu).
        var c = new float[2];
        CpuKernels.Gemm(false, false, 1, 2, 1, 1f, new[] { 1f }, 1, new[] { float.NaN, -0f }, 2, 0f, c, 2,
            new GemmOptions<float> { Activation = GemmActivation.Relu });
        Assert.That(float.IsNaN(c[0]), Is.True);
        Assert.That(BitConverter.SingleToInt32Bits(c[1]), Is.Zero);
    }

    [Test]
    public void WrongLengths_ThrowNamingTheVector()
    {
        var a = new float[6];
        var b = new float[12];
        var c = new float[8];
        var e = Assert.Throws<ArgumentException>(() => CpuKernels.Gemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4,
            new GemmOptions<float> { ColumnBias = new float[3] }));
        Assert.That(e!.Message, Does.Contain("bias").And.Contain("length 3").And.Contain("must be 4"));
        e = Assert.Throws<ArgumentException>(() => CpuKernels.Gemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4,
            new GemmOptions<float> { RowSumsOfA = new float[4] }));
        Assert.That(e!.Message, Does.Contain("row sums of A").And.Contain("must be 2"));
        e = Assert.Throws<ArgumentException>(() => CpuKernels.Gemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4,
            new GemmOptions<float> { Activation = (GemmActivation)7 }));
        Assert.That(e!.Message, Does.Contain("activation 7"));
    }

    // c[i, j] = act(c[i, j] + bias[j]), written as the separate passes would: AddBiasRows, then the activation.
    private static void PlainEpilogue<T>(T[] c, int m, int n, int ldc, T[]? bias, GemmActivation activation, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T v = c[i * ldc + j];
                if (bias != null) v += bias[j];
                c[i * ldc + j] = activation switch
                {
                    GemmActivation.Relu => Reference.Apply(UnaryOp.Relu, v),
                    GemmActivation.LeakyRelu => v > T.Zero ? v : v * slope,
                    _ => v,
                };
            }
    }

    private static T[] PlainRowSumsOfA<T>(GemmCase<T> r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sums = new T[r.M];
        for (int i = 0; i < r.M; i++)
            for (int p = 0; p < r.K; p++) sums[i] += r.TransA ? r.A[p * r.Lda + i] : r.A[i * r.Lda + p];
        return sums;
    }

    private static T[] PlainColumnSumsOfB<T>(GemmCase<T> r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sums = new T[r.N];
        for (int j = 0; j < r.N; j++)
            for (int p = 0; p < r.K; p++) sums[j] += r.TransB ? r.B[j * r.Ldb + p] : r.B[p * r.Ldb + j];
        return sums;
    }

    // Within eps·√k·(|alpha|·Σ_p|a·b| + |beta·c| + |bias|) + eps (the activations are 1-Lipschitz); padding untouched.
    private static void AssertClose<T>(T[] fast, T[] reference, T[] magnitude, GemmCase<T> r, T alpha, T beta, T[]? bias, double eps, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < r.M; i++)
            for (int j = 0; j < r.N; j++)
            {
                int at = i * r.Ldc + j;
                double scale = double.CreateChecked(T.Abs(alpha) * magnitude[at] + T.Abs(beta * r.C0[at]) + (bias is null ? T.Zero : T.Abs(bias[j])));
                double tol = eps * Math.Sqrt(Math.Max(r.K, 1)) * scale + eps;
                Assert.That(double.CreateChecked(fast[at]), Is.EqualTo(double.CreateChecked(reference[at])).Within(tol), $"C[{i}, {j}], {what}");
            }
        for (int i = 0; i < fast.Length; i++)
            if (i % r.Ldc >= r.N) Assert.That(fast[i], Is.EqualTo(r.C0[i]), $"padding C[{i / r.Ldc}, {i % r.Ldc}] was written, {what}");
    }

    private static T[] RandomVector<T>(int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => T.CreateChecked(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
