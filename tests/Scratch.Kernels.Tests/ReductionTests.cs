using System.Numerics;
using Scratch.Kernels.Cpu;
using static Scratch.Kernels.Tests.ElementwiseTestData;

namespace Scratch.Kernels.Tests;

// The reductions against Reference. Sum is reassociated (vector accumulators), so it is compared
// within a bound relative to Σ|x|; Max and ColumnSums keep Reference's result exactly.
public class ReductionTests
{
    private static T Eps<T>() where T : IFloatingPointIeee754<T> => T.BitIncrement(T.One) - T.One;

    private static double AbsSum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (var v in x) s += Math.Abs(double.CreateTruncating(v));
        return s;
    }

    private static void AssertSumClose<T>(ReadOnlySpan<T> x, T actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Reference's sequential sum is off by at most (n - 1)·eps·Σ|x|; ours by far less. Their
        // difference is therefore bounded by (n + 1)·eps·Σ|x| (the bound the docs promise).
        double expected = double.CreateTruncating(Reference.Sum(x));
        double tolerance = (x.Length + 1) * double.CreateTruncating(Eps<T>()) * AbsSum(x);
        Assert.That(double.CreateTruncating(actual), Is.EqualTo(expected).Within(tolerance), what);
    }

    [Test]
    public void Sum_Float_AllLengths_WithinRoundingOfReference() => CheckSum<float>();

    [Test]
    public void Sum_Double_AllLengths_WithinRoundingOfReference() => CheckSum<double>();

    private static void CheckSum<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values<T>(n, seed: 5, range: 10, withSpecials: false);
            AssertSumClose<T>(x, CpuKernels.Sum<T>(x), $"sum<{typeof(T).Name}> n={n}");
        }
    }

    [Test]
    public void Sum_Float_IsMoreAccurateThanTheSequentialLoop_OnALongSpan()
    {
        // 1,000,003 floats, all near 1: the sequential float sum drifts by ~1e-3 relative (each add
        // rounds at the scale of the growing total); chunked vector sums stay near 1e-7.
        var x = Values<float>(1_000_003, seed: 6, range: 0.1, withSpecials: false);
        for (int i = 0; i < x.Length; i++) x[i] += 1f;
        double exact = 0;
        foreach (var v in x) exact += v;
        double fast = CpuKernels.Sum<float>(x);
        double naive = Reference.Sum<float>(x);
        Assert.That(Math.Abs(fast - exact), Is.LessThan(Math.Abs(naive - exact)));
        Assert.That(fast, Is.EqualTo(exact).Within(1e-6 * exact));
    }

    [Test]
    public void SumAndMax_PropagateNaNAndInfinity([Values(1, 5, 16, 40, 257, 20000)] int n)
    {
        var x = Values<float>(n, seed: 7, range: 3, withSpecials: false);
        x[n / 2] = float.PositiveInfinity;
        Assert.That(CpuKernels.Sum<float>(x), Is.EqualTo(float.PositiveInfinity));
        Assert.That(CpuKernels.Max<float>(x), Is.EqualTo(float.PositiveInfinity));
        x[n - 1] = float.NaN;
        Assert.That(CpuKernels.Sum<float>(x), Is.NaN);
        Assert.That(CpuKernels.Max<float>(x), Is.NaN, "max with a NaN is NaN, wherever the NaN is");
    }

    [Test]
    public void EmptySpans_SumIsZeroAndMaxIsMinusInfinity()
    {
        Assert.That(CpuKernels.Sum<double>([]), Is.EqualTo(0.0));
        Assert.That(CpuKernels.Max<double>([]), Is.EqualTo(double.NegativeInfinity));
    }

    [Test]
    public void Max_Float_AllLengths_EqualsReference() => CheckMax<float>();

    [Test]
    public void Max_Double_AllLengths_EqualsReference() => CheckMax<double>();

    private static void CheckMax<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            // Without specials the max sits anywhere, tails included; with them NaN must win.
            foreach (bool specials in new[] { false, true })
            {
                var x = Values<T>(n, seed: 8 + n, range: 100, withSpecials: specials);
                AssertSameValue(Reference.Max<T>(x), CpuKernels.Max<T>(x), $"max<{typeof(T).Name}> n={n} specials={specials}");
            }
        }
    }

    // Max is exact; only which zero wins a -0/+0 tie may differ, so compare values, NaN equal to NaN.
    private static void AssertSameValue<T>(T expected, T actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(expected)) Assert.That(T.IsNaN(actual), Is.True, $"{what}: expected NaN, got {actual}");
        else Assert.That(actual == expected, Is.True, $"{what}: expected {expected:R}, got {actual:R}");
    }

    private static readonly (int Rows, int Cols)[] Shapes =
        [(0, 0), (0, 5), (3, 0), (1, 1), (2, 3), (5, 7), (4, 16), (3, 17), (7, 33), (2, 257), (128, 400), (3, 20000), (150, 1100)];

    [Test]
    public void RowReductions_MatchReference_ManyShapes([ValueSource(nameof(Shapes))] (int Rows, int Cols) shape)
    {
        var (rows, cols) = shape;
        var x = Values<float>(rows * cols, seed: 9, range: 5, withSpecials: false);
        var sums = new float[rows];
        var maxes = new float[rows];
        var refMaxes = new float[rows];
        CpuKernels.SumLastAxis<float>(x, rows, cols, sums);
        CpuKernels.MaxLastAxis<float>(x, rows, cols, maxes);
        Reference.MaxLastAxis<float>(x, rows, cols, refMaxes);
        for (int r = 0; r < rows; r++)
        {
            AssertSumClose<float>(x.AsSpan(r * cols, cols), sums[r], $"sum row {r} of {shape}");
            AssertSameValue(refMaxes[r], maxes[r], $"max row {r} of {shape}");
        }
    }

    [Test]
    public void ColumnSums_BitwiseEqualReference_ManyShapes([ValueSource(nameof(Shapes))] (int Rows, int Cols) shape)
    {
        var (rows, cols) = shape;
        // Specials included: each column is summed in Reference's order, so even NaN/Inf agree.
        var x = Values<double>(rows * cols, seed: 10, range: 5);
        var expected = new double[cols];
        var actual = new double[cols];
        Reference.ColumnSums<double>(x, rows, cols, expected);
        CpuKernels.ColumnSums<double>(x, rows, cols, actual);
        AssertBitwiseEqual<double>(expected, actual, $"column sums {shape}");

        var xf = Values<float>(rows * cols, seed: 10, range: 5);
        var expectedF = new float[cols];
        var actualF = new float[cols];
        Reference.ColumnSums<float>(xf, rows, cols, expectedF);
        CpuKernels.ColumnSums<float>(xf, rows, cols, actualF);
        AssertBitwiseEqual<float>(expectedF, actualF, $"column sums<float> {shape}");
    }

    [Test]
    public void Reductions_OneAndTwoThreads_AreBitwiseEqual()
    {
        const int n = 1_000_003;
        var x = Values<float>(n, seed: 12, range: 50, withSpecials: false);
        var (rows, cols) = (500, 2000); // 10⁶ elements: 63 blocks of rows, 2 blocks of 1024 columns, both threaded
        var m = x.AsSpan(0, rows * cols).ToArray();
        var xd = Values<double>(n, seed: 13, range: 50, withSpecials: false);

        float sum1, max1, sum2, max2;
        double sumD1, sumD2;
        float[] rowSums1 = new float[rows], rowSums2 = new float[rows], rowMax1 = new float[rows], rowMax2 = new float[rows];
        float[] cols1 = new float[cols], cols2 = new float[cols];
        using (CpuThreads.Use(1))
        {
            (sum1, max1, sumD1) = (CpuKernels.Sum<float>(x), CpuKernels.Max<float>(x), CpuKernels.Sum<double>(xd));
            CpuKernels.SumLastAxis<float>(m, rows, cols, rowSums1);
            CpuKernels.MaxLastAxis<float>(m, rows, cols, rowMax1);
            CpuKernels.ColumnSums<float>(m, rows, cols, cols1);
        }
        using (CpuThreads.Use(2))
        {
            (sum2, max2, sumD2) = (CpuKernels.Sum<float>(x), CpuKernels.Max<float>(x), CpuKernels.Sum<double>(xd));
            CpuKernels.SumLastAxis<float>(m, rows, cols, rowSums2);
            CpuKernels.MaxLastAxis<float>(m, rows, cols, rowMax2);
            CpuKernels.ColumnSums<float>(m, rows, cols, cols2);
        }
        Assert.That(BitConverter.SingleToInt32Bits(sum2), Is.EqualTo(BitConverter.SingleToInt32Bits(sum1)), "sum<float>");
        Assert.That(BitConverter.DoubleToInt64Bits(sumD2), Is.EqualTo(BitConverter.DoubleToInt64Bits(sumD1)), "sum<double>");
        Assert.That(max2, Is.EqualTo(max1), "max");
        AssertBitwiseEqual<float>(rowSums1, rowSums2, "sum last axis");
        AssertBitwiseEqual<float>(rowMax1, rowMax2, "max last axis");
        AssertBitwiseEqual<float>(cols1, cols2, "column sums");
        AssertSumClose<float>(x, sum1, "sum of 1,000,003 floats");
    }

    [Test]
    public void ShapeMismatch_ThrowsNamingTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.SumLastAxis<float>(new float[6], 2, 4, new float[2]));
        Assert.That(ex!.Message, Does.Contain("sum").And.Contain("input"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.MaxLastAxis<float>(new float[6], 2, 3, new float[3]));
        Assert.That(ex!.Message, Does.Contain("max").And.Contain("output"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.ColumnSums<double>(new double[6], 2, 3, new double[2]));
        Assert.That(ex!.Message, Does.Contain("column sums"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.ColumnSums<double>(new double[6], -2, -3, new double[2]));
        Assert.That(ex!.Message, Does.Contain("non-negative"));
    }
}
