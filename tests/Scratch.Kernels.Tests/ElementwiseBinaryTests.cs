using System.Numerics;
using Scratch.Kernels.Cpu;
using static Scratch.Kernels.Tests.ElementwiseTestData;

namespace Scratch.Kernels.Tests;

// CpuKernels.Binary / BinaryScalar / ScalarBinary / Clamp against Reference for every length 0..257,
// float and double. Every binary op is exact, so every comparison is bitwise (any NaN equals any NaN).
public class ElementwiseBinaryTests
{
    [Test]
    public void Binary_Float_BitwiseEqualsReference_AllLengths([Values] BinaryOp op) => CheckBinary<float>(op);

    [Test]
    public void Binary_Double_BitwiseEqualsReference_AllLengths([Values] BinaryOp op) => CheckBinary<double>(op);

    [Test]
    public void WithScalar_Float_BitwiseEqualsReference_AllLengths([Values] BinaryOp op) => CheckWithScalar<float>(op);

    [Test]
    public void WithScalar_Double_BitwiseEqualsReference_AllLengths([Values] BinaryOp op) => CheckWithScalar<double>(op);

    private static void CheckBinary<T>(BinaryOp op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            // Different seeds put specials at different places in a and b, so NaN meets numbers,
            // zeros meet zeros of the other sign, and infinities meet each other.
            var a = Values<T>(n, seed: 1, range: 4);
            var b = Values<T>(n, seed: 4, range: 4);
            var expected = new T[n];
            var actual = new T[n];
            Reference.Binary<T>(op, a, b, expected);
            CpuKernels.Binary<T>(op, a, b, actual);
            AssertBitwiseEqual<T>(expected, actual, $"{op}<{typeof(T).Name}> n={n}");

            CpuKernels.Binary<T>(op, a, b, a); // in place over the first input
            AssertBitwiseEqual<T>(expected, a, $"{op}<{typeof(T).Name}> in place n={n}");
        }
    }

    private static void CheckWithScalar<T>(BinaryOp op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (double sd in Specials.Append(2.5).Append(-0.75))
        {
            T s = T.CreateTruncating(sd);
            for (int n = 0; n <= MaxLength; n += n < 40 ? 1 : 7)
            {
                var a = Values<T>(n, seed: 2, range: 4);
                var expected = new T[n];
                var actual = new T[n];
                Reference.BinaryScalar<T>(op, a, s, expected);
                CpuKernels.BinaryScalar<T>(op, a, s, actual);
                AssertBitwiseEqual<T>(expected, actual, $"{op}(a, {sd})<{typeof(T).Name}> n={n}");

                Reference.ScalarBinary<T>(op, s, a, expected);
                CpuKernels.ScalarBinary<T>(op, s, a, actual);
                AssertBitwiseEqual<T>(expected, actual, $"{op}({sd}, b)<{typeof(T).Name}> n={n}");
            }
        }
    }

    [Test]
    public void MaxMin_FollowIeee_NaNWinsAndPositiveZeroIsLarger()
    {
        // 16 lanes: the Vector512 path, where the raw vmaxps would return 1 for max(NaN, 1).
        float[] a = [float.NaN, 1f, 0f, -0f, float.NegativeInfinity, float.NaN, 3f, -2f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        float[] b = [1f, float.NaN, -0f, 0f, 5f, float.NaN, 3f, -1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        var max = new float[16];
        var min = new float[16];
        CpuKernels.Binary<float>(BinaryOp.Max, a, b, max);
        CpuKernels.Binary<float>(BinaryOp.Min, a, b, min);
        Assert.That(max[0], Is.NaN);
        Assert.That(max[1], Is.NaN);
        Assert.That(min[0], Is.NaN);
        Assert.That(min[1], Is.NaN);
        Assert.That(float.IsNegative(max[2]) || float.IsNegative(max[3]), Is.False, "max(±0, ∓0) = +0");
        Assert.That(float.IsNegative(min[2]) && float.IsNegative(min[3]), Is.True, "min(±0, ∓0) = -0");
        Assert.That((max[4], min[4], max[7], min[7]), Is.EqualTo((5f, float.NegativeInfinity, -1f, -2f)));
    }

    [Test]
    public void Clamp_BitwiseEqualsReference_AndPropagatesNaN([Values(0, 1, 7, 8, 16, 31, 200, 257)] int n)
    {
        var x = Values<float>(n, seed: 3, range: 5);
        var expected = new float[n];
        var actual = new float[n];
        Reference.Clamp<float>(x, -1f, 2f, expected);
        CpuKernels.Clamp<float>(x, -1f, 2f, actual);
        AssertBitwiseEqual<float>(expected, actual, $"clamp n={n}");
        for (int i = 0; i < n; i++)
            Assert.That(float.IsNaN(actual[i]), Is.EqualTo(float.IsNaN(x[i])), $"clamp NaN at {i}");

        var xd = Values<double>(n, seed: 3, range: 5);
        var expectedD = new double[n];
        var actualD = new double[n];
        Reference.Clamp<double>(xd, 0.0, 0.5, expectedD);
        CpuKernels.Clamp<double>(xd, 0.0, 0.5, actualD);
        AssertBitwiseEqual<double>(expectedD, actualD, $"clamp<double> n={n}");
    }

    [Test]
    public void LengthMismatch_ThrowsNamingTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => CpuKernels.Binary<float>(BinaryOp.Mul, new float[3], new float[2], new float[3]));
        Assert.That(ex!.Message, Does.Contain("Mul").And.Contain("second input"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.BinaryScalar<double>(BinaryOp.Div, new double[3], 2.0, new double[5]));
        Assert.That(ex!.Message, Does.Contain("Div").And.Contain("output"));
        ex = Assert.Throws<ArgumentException>(() => CpuKernels.Clamp<float>(new float[3], 0f, 1f, new float[2]));
        Assert.That(ex!.Message, Does.Contain("clamp"));
    }
}
