using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Threading;

namespace Scratch.Kernels.Tests;

public class GemmThreadTests
{
    // Shapes big enough to be split over 2 threads, cut by rows (n = 20: one column tile) and by columns.
    [TestCase(false, false, 128, 400, 784)]
    [TestCase(true, false, 300, 20, 128)]
    [TestCase(false, true, 128, 200, 400)]
    [TestCase(true, true, 77, 333, 129)]
    public void Float_OneAndTwoThreads_BitwiseEqual(bool transA, bool transB, int m, int n, int k)
    {
        var r = GemmCase<float>.Random(transA, transB, m, n, k, pad: 1, seed: 9);
        float[] one, two;
        using (CpuThreads.Use(1)) one = r.Run(CpuKernels.Gemm, 1.25f, 0.5f);
        using (CpuThreads.Use(2)) two = r.Run(CpuKernels.Gemm, 1.25f, 0.5f);
        Assert.That(two, Is.EqualTo(one).AsCollection);
    }

    [Test]
    public void Double_OneAndTwoThreads_BitwiseEqual()
    {
        var r = GemmCase<double>.Random(false, true, 150, 90, 300, pad: 0, seed: 4);
        double[] one, two;
        using (CpuThreads.Use(1)) one = r.Run(CpuKernels.Gemm, 1.0, 0.0);
        using (CpuThreads.Use(2)) two = r.Run(CpuKernels.Gemm, 1.0, 0.0);
        Assert.That(two, Is.EqualTo(one).AsCollection);
    }

    [Test]
    public void TwoThreads_MatchReference()
    {
        var r = GemmCase<float>.Random(false, false, 128, 400, 784, pad: 0, seed: 8);
        using (CpuThreads.Use(2)) r.AssertFastMatchesReference(CpuKernels.Gemm, 1f, 0f, 1e-5);
    }
}

public class GemmArgumentTests
{
    [Test]
    public void Half_FallsBackToReference()
    {
        var r = GemmCase<Half>.Random(true, false, 9, 10, 11, pad: 1, seed: 6);
        var fast = r.Run(CpuKernels.Gemm, Half.One, Half.Zero);
        Assert.That(fast, Is.EqualTo(r.Run(Reference.Gemm, Half.One, Half.Zero)).AsCollection);
    }

    private static void Call(bool ta, bool tb, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc) =>
        CpuKernels.Gemm(ta, tb, m, n, k, 1f, new float[aLen], lda, new float[bLen], ldb, 0f, new float[cLen], ldc);

    [TestCase(-1, 2, 2, TestName = "negative m")]
    [TestCase(2, -1, 2, TestName = "negative n")]
    [TestCase(2, 2, -1, TestName = "negative k")]
    public void NegativeSize_Throws(int m, int n, int k)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(false, false, m, n, k, 16, 4, 16, 4, 16, 4));
        Assert.That(e!.Message, Does.Contain("gemm").And.Contain("negative"));
    }

    [TestCase(false, false, 2, 3, 4, 7, 4, 12, 3, 6, 3, "A", TestName = "A too short")]
    [TestCase(true, false, 2, 3, 4, 7, 2, 12, 3, 6, 3, "A", TestName = "transposed A too short")]
    [TestCase(false, false, 2, 3, 4, 8, 4, 11, 3, 6, 3, "B", TestName = "B too short")]
    [TestCase(false, true, 2, 3, 4, 8, 4, 11, 4, 6, 3, "B", TestName = "transposed B too short")]
    [TestCase(false, false, 2, 3, 4, 8, 4, 12, 3, 5, 3, "C", TestName = "C too short")]
    [TestCase(false, false, 2, 3, 4, 8, 3, 12, 3, 6, 3, "lda", TestName = "lda smaller than k")]
    [TestCase(true, false, 2, 3, 4, 8, 1, 12, 3, 6, 3, "lda", TestName = "lda smaller than m (transposed)")]
    [TestCase(false, false, 2, 3, 4, 8, 4, 12, 2, 6, 3, "ldb", TestName = "ldb smaller than n")]
    [TestCase(false, true, 2, 3, 4, 8, 4, 12, 3, 6, 3, "ldb", TestName = "ldb smaller than k (transposed)")]
    [TestCase(false, false, 2, 3, 4, 8, 4, 12, 3, 6, 2, "ldc", TestName = "ldc smaller than n")]
    public void BadArguments_ThrowNamingGemm(bool ta, bool tb, int m, int n, int k, int aLen, int lda,
        int bLen, int ldb, int cLen, int ldc, string culprit)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(ta, tb, m, n, k, aLen, lda, bLen, ldb, cLen, ldc));
        Assert.That(e!.Message, Does.StartWith("gemm:").And.Contain(culprit).And.Contain($"m = {m}, n = {n}, k = {k}"));
    }

    [Test]
    public void ExactMinimumLengths_WithPaddedLeadingDimensions_Accepted()
    {
        // (2, 4)·(4, 3) with lda 6, ldb 5, ldc 4: the last row needs no padding after it.
        Assert.DoesNotThrow(() => Call(false, false, 2, 3, 4, 6 + 4, 6, 3 * 5 + 3, 5, 4 + 3, 4));
    }
}

public class GemmAllocationTests
{
    // Packing buffers are per thread and reused: after a first call has sized them, a
    // single-threaded GEMM allocates nothing on the managed heap (a training step calls it
    // thousands of times).
    [Test]
    public void OneThread_SteadyState_AllocatesNothing()
    {
        var r = GemmCase<float>.Random(false, true, 64, 80, 300, pad: 0, seed: 1);
        var c = (float[])r.C0.Clone();
        using (CpuThreads.Use(1))
        {
            for (int i = 0; i < 200; i++)
                CpuKernels.Gemm(false, true, r.M, r.N, r.K, 1f, r.A, r.Lda, r.B, r.Ldb, 0f, c, r.Ldc);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
                CpuKernels.Gemm(false, true, r.M, r.N, r.K, 1f, r.A, r.Lda, r.B, r.Ldb, 0f, c, r.Ldc);
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        }
    }

    // On two threads the bands go to the engine's worker pool through a reused work item: no
    // closure, no Parallel.For bookkeeping (which cost ~1.8 KB per call). Counted on the calling
    // thread and on the pool's workers (the test host's own threads allocate meanwhile).
    [Test]
    public void TwoThreads_SteadyState_AllocatesNothingPerCall()
    {
        var r = GemmCase<float>.Random(false, true, 128, 400, 784, pad: 0, seed: 1);
        var c = (float[])r.C0.Clone();
        using (CpuThreads.Use(2))
        {
            for (int i = 0; i < 20; i++)
                CpuKernels.Gemm(false, true, r.M, r.N, r.K, 1f, r.A, r.Lda, r.B, r.Ldb, 0f, c, r.Ldc);
            long caller = GC.GetAllocatedBytesForCurrentThread(), workers = WorkerPool.WorkerAllocatedBytes;
            for (int i = 0; i < 100; i++)
                CpuKernels.Gemm(false, true, r.M, r.N, r.K, 1f, r.A, r.Lda, r.B, r.Ldb, 0f, c, r.Ldc);
            caller = GC.GetAllocatedBytesForCurrentThread() - caller;
            workers = WorkerPool.WorkerAllocatedBytes - workers;
            // Not zero: the first time a thread really blocks, ManualResetEventSlim creates its lock
            // object (24 bytes, once). Anything per call would be over 100 times that.
            Assert.That(caller + workers, Is.LessThan(256), $"bytes allocated over 100 two-thread GEMMs: caller {caller}, workers {workers}");
        }
    }
}
