using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

// Pow is the one elementwise op whose GPU form is built by hand (a GPU pow is
// exp2(y·log2(x))), so its IEEE corner cases are pinned here against Math.Pow.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuPowTests(string simulator)
{
    [Test]
    public void Pow_SpecialCases_MatchReference()
    {
        float[] bases = [-0f, 0f, -1f, 1f, -2f, 2f, -0.5f, float.NegativeInfinity, float.PositiveInfinity, float.NaN];
        float[] exponents = [0f, -0f, 1f, -1f, 2f, -2f, 3f, -3f, 0.5f, -0.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e30f];
        var a = new float[bases.Length * exponents.Length];
        var b = new float[a.Length];
        for (int i = 0; i < bases.Length; i++)
        for (int j = 0; j < exponents.Length; j++)
        {
            a[i * exponents.Length + j] = bases[i];
            b[i * exponents.Length + j] = exponents[j];
        }
        var expected = new float[a.Length];
        Reference.Binary<float>(BinaryOp.Pow, a, b, expected);
        var device = GpuSimulator.Get(simulator);
        using var ad = device.Upload(a);
        using var bd = device.Upload(b);
        using var yd = device.Allocate(a.Length);
        device.Binary(BinaryOp.Pow, ad.View, bd.View, yd.View);
        var actual = yd.ToArray();
        for (int i = 0; i < a.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-6f), $"Pow({a[i]}, {b[i]})");
    }
}
