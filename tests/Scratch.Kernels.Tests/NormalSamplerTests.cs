using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Random;
using static Scratch.Kernels.Cpu.Random.NormalFill;

namespace Scratch.Kernels.Tests;

// The counter-based normal sampler: Philox against Random123's published answers, Box–Muller
// against float64 math, every width and thread count bitwise equal to the scalar reference, and
// the samples' distribution (mean, variance, Kolmogorov–Smirnov) and independence across streams.
public class NormalSamplerTests
{
    private const ulong Key = 0x0123456789ABCDEFUL, Stream = 42;

    // Random123's kat_vectors for philox4x32_10: (counter, key) → four words.
    [TestCase(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Philox_MatchesRandom123(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3) =>
        Assert.That(Philox.Block(c0, c1, c2, c3, k0, k1), Is.EqualTo((e0, e1, e2, e3)));

    [Test]
    public void PhiloxLanes_EqualTheScalarBlocks()
    {
        var counters = Enumerable.Range(0, 16).Select(i => 1000u + (uint)i * 77).ToArray();
        var (w0, w1, w2, w3) = PhiloxLanes<Lanes512, System.Runtime.Intrinsics.Vector512<uint>, System.Runtime.Intrinsics.Vector512<float>>
            .Block(System.Runtime.Intrinsics.Vector512.Create(counters), Key, Stream);
        for (int l = 0; l < 16; l++)
            Assert.That((w0[l], w1[l], w2[l], w3[l]), Is.EqualTo(Philox.Block(Key, Stream, counters[l])), $"lane {l}");
    }

    [Test]
    public void FloatBoxMuller_IsFloatAccurate_AgainstFloat64Math()
    {
        // The same quantized uniforms in double: the float result is within a few float ulps.
        double worst = 0;
        for (long i = 0; i < 200_000; i++)
        {
            uint radiusWord = Philox.Word(Key, Stream, 2 * i), angleWord = Philox.Word(Key, Stream, 2 * i + 1);
            double u1 = ((radiusWord >> 8) + 1) / 16777216.0, u2 = (angleWord >> 8) / 16777216.0;
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            float r = BoxMuller<ScalarLanes, uint, float>.Radius(radiusWord);
            var (sin, cos) = BoxMuller<ScalarLanes, uint, float>.SinCos(angleWord);
            worst = Math.Max(worst, Math.Abs(r - radius) / Math.Max(radius, 1e-3));
            worst = Math.Max(worst, Math.Abs(sin - Math.Sin(2 * Math.PI * u2)));
            worst = Math.Max(worst, Math.Abs(cos - Math.Cos(2 * Math.PI * u2)));
        }
        Assert.That(worst, Is.LessThan(4e-7), "relative radius error / absolute sin, cos error (float ulp at 1 is 1.2e-7)");
    }

    private static IEnumerable<int> Lengths() => Enumerable.Range(0, 258).Concat([1000, 4099]);

    [Test]
    public void EveryWidth_GivesTheScalarReferenceBits([Values(0, 1, 2, 3)] int widthIndex)
    {
        var width = (Width)widthIndex;   // Scalar, Vector128, Vector256, Vector512 (the enum is internal)
        // A width the CPU lacks still runs (.NET emulates it lane by lane): the bits must not change.
        foreach (int n in Lengths())
        {
            var values = new float[n];
            Float(values, Key, Stream, width);
            for (int i = 0; i < n; i++)
                if (BitConverter.SingleToInt32Bits(values[i]) != BitConverter.SingleToInt32Bits(Philox.NormalFloat(Key, Stream, i)))
                    Assert.Fail($"{width}, length {n}: element {i} is {values[i]:R}, reference {Philox.NormalFloat(Key, Stream, i):R}");
        }
    }

    [Test]
    public void OneAndTwoThreads_AreBitwiseEqual_FloatAndDouble()
    {
        const int n = 5 * 16384 + 77;
        float[] f1 = new float[n], f2 = new float[n];
        double[] d1 = new double[n], d2 = new double[n];
        using (CpuThreads.Use(1)) { CpuKernels.FillNormal<float>(f1, Key, Stream); CpuKernels.FillNormal<double>(d1, Key, Stream); }
        using (CpuThreads.Use(2)) { CpuKernels.FillNormal<float>(f2, Key, Stream); CpuKernels.FillNormal<double>(d2, Key, Stream); }
        Assert.That(f2, Is.EqualTo(f1).AsCollection);
        Assert.That(d2, Is.EqualTo(d1).AsCollection);
        foreach (int i in new[] { 0, 31, 32, 16383, 16384, 40000, n - 1 })
        {
            Assert.That(f1[i], Is.EqualTo(Philox.NormalFloat(Key, Stream, i)), $"float element {i}");
            Assert.That(d1[i], Is.EqualTo(Philox.NormalDouble(Key, Stream, i)), $"double element {i}");
        }
    }

    [Test]
    public void DoubleFill_IsAPrefixOfLongerFills_AndEqualsTheReference()
    {
        var longer = new double[300];
        CpuKernels.FillNormal<double>(longer, Key, Stream);
        foreach (int n in new[] { 0, 1, 17, 31, 32, 33, 100 })
        {
            var values = new double[n];
            CpuKernels.FillNormal<double>(values, Key, Stream);
            Assert.That(values, Is.EqualTo(longer[..n]).AsCollection, $"length {n}");
        }
        for (int i = 0; i < 300; i++) Assert.That(longer[i], Is.EqualTo(Philox.NormalDouble(Key, Stream, i)));
    }

    // 2^20 samples: mean and variance within 5 standard errors, and the Kolmogorov–Smirnov
    // distance below 1.63/√n (its 1% critical value). Fixed keys, so the test is deterministic.
    [TestCase(false)]
    [TestCase(true)]
    public void Samples_AreStandardNormal(bool float64)
    {
        const int n = 1 << 20;
        double[] x;
        if (float64) { x = new double[n]; CpuKernels.FillNormal<double>(x, Key, Stream); }
        else { var f = new float[n]; CpuKernels.FillNormal<float>(f, Key, Stream); x = f.Select(v => (double)v).ToArray(); }

        double mean = x.Average(), variance = x.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        Assert.That(Math.Abs(mean), Is.LessThan(5 / Math.Sqrt(n)), "mean");
        Assert.That(Math.Abs(variance - 1), Is.LessThan(5 * Math.Sqrt(2.0 / n)), "variance");
        Array.Sort(x);
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double cdf = NormalCdf(x[i]);
            d = Math.Max(d, Math.Max(cdf - (double)i / n, (double)(i + 1) / n - cdf));
        }
        Assert.That(d, Is.LessThan(1.63 / Math.Sqrt(n)), "Kolmogorov–Smirnov distance");
    }

    [Test]
    public void Streams_AndKeys_AreUncorrelated()
    {
        const int n = 1 << 18;
        float[] a = new float[n], b = new float[n], c = new float[n];
        CpuKernels.FillNormal<float>(a, Key, 0);
        CpuKernels.FillNormal<float>(b, Key, 1);
        CpuKernels.FillNormal<float>(c, Key + 1, 0);
        foreach (var (name, other) in new[] { ("stream 1", b), ("key + 1", c) })
        {
            double r = 0;
            for (int i = 0; i < n; i++) r += (double)a[i] * other[i];
            Assert.That(Math.Abs(r / n), Is.LessThan(5 / Math.Sqrt(n)), $"correlation with {name}");
        }
        // Neighbours in one stream too (lag 1, lag 16 = the next lane, lag 64 = the next group).
        foreach (int lag in new[] { 1, 16, 64 })
        {
            double r = 0;
            for (int i = 0; i + lag < n; i++) r += (double)a[i] * a[i + lag];
            Assert.That(Math.Abs(r / n), Is.LessThan(5 / Math.Sqrt(n)), $"lag {lag}");
        }
    }

    // Φ(x) through erfc (W. J. Cody's rational approximations are overkill here: Abramowitz & Stegun
    // 7.1.26 is within 1.5e-7, far below the KS threshold of 1.6e-3).
    private static double NormalCdf(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2), t = 1 / (1 + 0.3275911 * z);
        double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-z * z);
        return x >= 0 ? 1 - erfc / 2 : erfc / 2;
    }
}
