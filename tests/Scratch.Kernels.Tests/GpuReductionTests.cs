using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;
using static Scratch.Kernels.Tests.Gpu.GpuTestData;

namespace Scratch.Kernels.Tests.Gpu;

// Reductions on the ILGPU CPU simulator against Cpu.Reference. The GPU sums in a different
// order (per-thread strides, then a tree), so sums agree to rounding, not to the bit;
// maxima agree exactly.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuReductionTests(string simulator)
{
    private const double Rel = 1e-4;
    private GpuDevice Device => GpuSimulator.Get(simulator);

    // 40000 takes the two-pass path: up to the group cap on ilgpu-cpu (64 groups of 32 threads),
    // 20 groups of 256 on cuda-like (whose cap Sum_PastTheGroupCap reaches).
    private static readonly int[] ReductionLengths = [.. Lengths, 40000];

    private static readonly (int Rows, int Cols)[] Shapes =
        [(0, 5), (3, 0), (1, 1), (7, 33), (33, 7), (5, 257), (2, 1000), (100, 3)];

    [Test]
    public void Sum_MatchesReference([ValueSource(nameof(ReductionLengths))] int n)
    {
        var x = Uniform(n, seed: 11);
        Assert.That(Reduce(Device.Sum, x), Is.EqualTo(Reference.Sum<float>(x)).Within(Rel * Math.Max(1, SumOfAbs(x))));
    }

    [Test]
    public void Max_MatchesReference([ValueSource(nameof(ReductionLengths))] int n)
    {
        var x = Uniform(n, seed: 12, -100, 100);
        Assert.That(Reduce(Device.Max, x), Is.EqualTo(Reference.Max<float>(x)));
    }

    [Test]
    public void SumAndMax_PastTheGroupCap_MatchReference()
    {
        // One element more than MaxReductionGroups full groups fold: pass 1 is capped and its
        // threads fold more than ElementsPerThread each (on cuda-like: 1024 groups of 256, as on CUDA).
        int n = Device.MaxReductionGroups * Device.ReductionGroupSize * 8 + 1;
        var x = Uniform(n, seed: 16);
        Assert.That(Reduce(Device.Sum, x), Is.EqualTo(Reference.Sum<float>(x)).Within(Rel * SumOfAbs(x)), "Sum");
        Assert.That(Reduce(Device.Max, x), Is.EqualTo(Reference.Max<float>(x)), "Max");
    }

    [Test]
    public void Max_WithOneNaN_IsNaN()
    {
        var x = Uniform(1000, seed: 13);
        x[777] = float.NaN;
        Assert.That(Reduce(Device.Max, x), Is.NaN);
    }

    [Test]
    public void Sum_SameInputTwice_IsBitwiseEqual()
    {
        var x = Uniform(40000, seed: 14);
        Assert.That(BitConverter.SingleToInt32Bits(Reduce(Device.Sum, x)),
            Is.EqualTo(BitConverter.SingleToInt32Bits(Reduce(Device.Sum, x))));
    }

    [TestCaseSource(nameof(Shapes))]
    public void LastAxisAndColumnReductions_MatchReference((int Rows, int Cols) shape)
    {
        var (rows, cols) = shape;
        var x = Uniform(rows * cols, seed: 15, -10, 10);
        using var xd = Device.Upload(x);
        using var rowsOut = Device.Allocate(rows);
        using var colsOut = Device.Allocate(cols);

        var expectedRows = new float[rows];
        Reference.SumLastAxis<float>(x, rows, cols, expectedRows);
        Device.SumLastAxis(xd.View, rows, cols, rowsOut.View);
        AssertClose(expectedRows, rowsOut.ToArray(), Rel, 10 * cols, "SumLastAxis");

        Reference.MaxLastAxis<float>(x, rows, cols, expectedRows);
        Device.MaxLastAxis(xd.View, rows, cols, rowsOut.View);
        Assert.That(rowsOut.ToArray(), Is.EqualTo(expectedRows), "MaxLastAxis");

        var expectedCols = new float[cols];
        Reference.ColumnSums<float>(x, rows, cols, expectedCols);
        Device.ColumnSums(xd.View, rows, cols, colsOut.View);
        Assert.That(colsOut.ToArray(), Is.EqualTo(expectedCols), "ColumnSums sums each column in row order, as the reference");
    }

    [Test]
    public void SumLastAxis_WrongOutputLength_Throws()
    {
        using var x = Device.Allocate(6);
        using var y = Device.Allocate(3);
        var error = Assert.Throws<ArgumentException>(() => Device.SumLastAxis(x.View, 2, 3, y.View));
        Assert.That(error!.Message, Does.Contain("GpuDevice.SumLastAxis").And.Contain("y has length 3, expected 2"));
    }

    private float Reduce(Action<ILGPU.ArrayView<float>, ILGPU.ArrayView<float>> reduce, float[] x)
    {
        using var xd = Device.Upload(x);
        using var yd = Device.Allocate(1);
        reduce(xd.View, yd.View);
        return yd.ToArray()[0];
    }

    private static double SumOfAbs(float[] x) => x.Sum(v => (double)Math.Abs(v));
}
