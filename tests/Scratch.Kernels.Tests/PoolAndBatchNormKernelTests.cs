using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Tests;

// Pooling and batch-norm kernels against their definitions written out by brute force here.
public class PoolAndBatchNormKernelTests
{
    private static readonly Pool2dShape[] PoolShapes =
    [
        new(1, 1, 4, 4, 2, 2, 2, 2),
        new(2, 3, 7, 5, 3, 2, 2, 1, 1, 1),
        new(1, 2, 9, 9, 3, 3, 3, 3, 1, 0),
        new(2, 1, 5, 6, 5, 5, 1, 2, 2, 2),
    ];

    // Every window position (r, c) of output (i, j), inside the image or not.
    private static IEnumerable<(int R, int C)> Window(Pool2dShape s, int i, int j)
    {
        for (int p = 0; p < s.KernelH; p++)
            for (int q = 0; q < s.KernelW; q++)
                yield return (i * s.StrideH - s.PadH + p, j * s.StrideW - s.PadW + q);
    }

    [TestCaseSource(nameof(PoolShapes))]
    public void MaxPool_MatchesDefinition_AndRoutesGradientToTheWinner(Pool2dShape s)
    {
        var x = ConvKernelTests.Random<double>(s.InputLength, 11);
        var y = new double[s.OutputLength];
        var arg = new double[s.OutputLength];
        CpuKernels.MaxPool2dForward<double>(s, x, y, arg);
        var dy = ConvKernelTests.Random<double>(s.OutputLength, 12);
        var expectedDx = new double[s.InputLength];
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var inside = Window(s, i, j).Where(rc => rc.R >= 0 && rc.R < s.Height && rc.C >= 0 && rc.C < s.Width)
                        .Select(rc => rc.R * s.Width + rc.C).ToArray();
                    double max = inside.Max(k => x[nc * plane + k]);
                    int winner = inside.First(k => x[nc * plane + k] == max);
                    int at = (nc * oh + i) * ow + j;
                    Assert.That(y[at], Is.EqualTo(max));
                    Assert.That(arg[at], Is.EqualTo(winner));
                    expectedDx[nc * plane + winner] += dy[at];
                }
        var dx = Enumerable.Repeat(double.NaN, s.InputLength).ToArray();
        CpuKernels.MaxPool2dBackward<double>(s, dy, arg, dx);
        Assert.That(dx, Is.EqualTo(expectedDx).Within(1e-15));
    }

    [Test]
    public void MaxPool_Ties_FirstInRowMajorOrderWins_NaNPropagates()
    {
        var s = new Pool2dShape(1, 1, 2, 4, 2, 2, 2, 2);
        float[] x = [1, 3, 5, float.NaN, 3, 2, 5, 7];
        var y = new float[2];
        var arg = new float[2];
        CpuKernels.MaxPool2dForward<float>(s, x, y, arg);
        Assert.That(arg[0], Is.EqualTo(1));      // the 3 at (0, 1), not the 3 at (1, 0)
        Assert.That(float.IsNaN(y[1]), Is.True);
        Assert.That(arg[1], Is.EqualTo(3));
    }

    [Test]
    public void MaxPool_ANaNBeforeTheLastColumnOfTheLastRowsWindow_IsReturned_NotAnIndexError()
    {
        // The NaN at (0, 2) wins its window (rows 0–1, columns 2–3) with a column still to scan: the scan
        // once jumped its row past the plane and read row 2 of a 2-row image (IndexOutOfRange).
        var s = new Pool2dShape(1, 1, 2, 4, 2, 2, 2, 2);
        float[] x = [1, 3, float.NaN, 5, 3, 2, 5, 7];
        var y = new float[2];
        var arg = new float[2];
        CpuKernels.MaxPool2dForward<float>(s, x, y, arg);
        Assert.That(y[0], Is.EqualTo(3));
        Assert.That(float.IsNaN(y[1]), Is.True);
        Assert.That(arg[1], Is.EqualTo(2));
    }

    [TestCaseSource(nameof(PoolShapes))]
    public void AvgPool_MatchesDefinition_PaddingCountedAsZeros(Pool2dShape s)
    {
        var x = ConvKernelTests.Random<double>(s.InputLength, 13);
        var y = new double[s.OutputLength];
        CpuKernels.AvgPool2dForward<double>(s, x, y);
        var dy = ConvKernelTests.Random<double>(s.OutputLength, 14);
        var expectedDx = new double[s.InputLength];
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        double k = s.KernelH * s.KernelW;
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int at = (nc * oh + i) * ow + j;
                    double sum = 0;
                    foreach (var (r, c) in Window(s, i, j))
                        if (r >= 0 && r < s.Height && c >= 0 && c < s.Width)
                        {
                            sum += x[nc * plane + r * s.Width + c];
                            expectedDx[nc * plane + r * s.Width + c] += dy[at] / k;
                        }
                    Assert.That(y[at], Is.EqualTo(sum / k).Within(1e-14));
                }
        var dx = Enumerable.Repeat(double.NaN, s.InputLength).ToArray();
        CpuKernels.AvgPool2dBackward<double>(s, dy, dx);
        Assert.That(dx, Is.EqualTo(expectedDx).Within(1e-14));
    }

    [Test]
    public void Pool_PaddingMoreThanHalfTheKernel_IsRejected()
    {
        var s = new Pool2dShape(1, 1, 4, 4, 2, 2, 2, 2, 2, 0);
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.AvgPool2dForward<float>(s, new float[16], new float[16]));
        Assert.That(ex!.Message, Does.Contain("avg_pool2d").And.Contain("padding (2, 0)"));
    }

    [TestCase(3, 2, 5)]
    [TestCase(1, 4, 1)]
    [TestCase(4, 3, 1)]
    [TestCase(2, 3, 37)]    // planes of whole vectors and a tail, float or double lanes
    [TestCase(3, 2, 49)]
    public void BatchNorm_MatchesFormula(int n, int c, int s)
    {
        var x = ConvKernelTests.Random<double>(n * c * s, 21);
        var dy = ConvKernelTests.Random<double>(n * c * s, 22);
        double[] gamma = ConvKernelTests.Random<double>(c, 23), beta = ConvKernelTests.Random<double>(c, 24);
        var mean = new double[c];
        var variance = new double[c];
        CpuKernels.BatchNormStatistics<double>(x, n, c, s, mean, variance);
        const double eps = 1e-5;
        var invStd = variance.Select(v => 1 / Math.Sqrt(v + eps)).ToArray();
        var y = new double[x.Length];
        CpuKernels.BatchNormApply<double>(x, n, c, s, mean, invStd, gamma, beta, y);
        var dx = new double[x.Length];
        double[] dgamma = new double[c], dbeta = new double[c];
        CpuKernels.BatchNormBackward<double>(x, dy, n, c, s, mean, invStd, gamma, training: true, dx, dgamma, dbeta);
        for (int ch = 0; ch < c; ch++)
        {
            var idx = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range((b * c + ch) * s, s)).ToArray();
            double m = idx.Length, mu = idx.Average(k => x[k]), v = idx.Sum(k => (x[k] - mu) * (x[k] - mu)) / m;
            Assert.That(mean[ch], Is.EqualTo(mu).Within(1e-14));
            Assert.That(variance[ch], Is.EqualTo(v).Within(1e-14));
            double inv = 1 / Math.Sqrt(v + eps);
            double sumDy = idx.Sum(k => dy[k]), sumDyXhat = idx.Sum(k => dy[k] * (x[k] - mu) * inv);
            Assert.That(dbeta[ch], Is.EqualTo(sumDy).Within(1e-13));
            Assert.That(dgamma[ch], Is.EqualTo(sumDyXhat).Within(1e-13));
            foreach (int k in idx)
            {
                double xhat = (x[k] - mu) * inv;
                Assert.That(y[k], Is.EqualTo(xhat * gamma[ch] + beta[ch]).Within(1e-13));
                Assert.That(dx[k], Is.EqualTo(gamma[ch] * inv * (dy[k] - sumDy / m - xhat * sumDyXhat / m)).Within(1e-12));
            }
        }
    }

    // The float kernels (float vector lanes, per-plane float sums) against the double ones on the same
    // values: the statistics, y, dx, dγ, dβ agree to float precision, at the conv VAE's plane size and an odd one.
    [TestCase(16, 3, 49)]
    [TestCase(5, 2, 23)]
    public void BatchNorm_FloatMatchesDouble(int n, int c, int s)
    {
        var x = ConvKernelTests.Random<double>(n * c * s, 31).Select(v => 3 + 2 * v).ToArray();   // mean far from 0
        var dy = ConvKernelTests.Random<double>(n * c * s, 32);
        double[] gamma = ConvKernelTests.Random<double>(c, 33), beta = ConvKernelTests.Random<double>(c, 34);
        var d = RunBatchNorm(x, dy, gamma, beta, n, c, s);
        var f = RunBatchNorm(F(x), F(dy), F(gamma), F(beta), n, c, s);
        for (int k = 0; k < d.Length; k++)
            ConvKernelTests.AssertClose(f[k], F(d[k]), 2e-5, $"batch_norm output {k}");
    }

    private static float[] F(double[] v) => v.Select(e => (float)e).ToArray();

    // mean, variance, y, dx, dγ, dβ
    private static T[][] RunBatchNorm<T>(T[] x, T[] dy, T[] gamma, T[] beta, int n, int c, int s) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] mean = new T[c], variance = new T[c], y = new T[x.Length], dx = new T[x.Length], dgamma = new T[c], dbeta = new T[c];
        CpuKernels.BatchNormStatistics<T>(x, n, c, s, mean, variance);
        var invStd = variance.Select(v => T.One / T.Sqrt(v + T.CreateTruncating(1e-5))).ToArray();
        CpuKernels.BatchNormApply<T>(x, n, c, s, mean, invStd, gamma, beta, y);
        CpuKernels.BatchNormBackward<T>(x, dy, n, c, s, mean, invStd, gamma, training: true, dx, dgamma, dbeta);
        return [mean, variance, y, dx, dgamma, dbeta];
    }
}
