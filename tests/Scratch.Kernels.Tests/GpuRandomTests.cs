using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Random;
using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

// The device's Philox fill on the ILGPU CPU simulator against the CPU sampler: the uniform words
// bit for bit, the normals to a stated tolerance (equal bits here; a real GPU's square root or
// conversions may differ in the last place, hence 2 float ulps of slack, relative to max(1, |z|)).
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuRandomTests(string simulator)
{
    private const ulong Key = 0xFEEDFACECAFEBEEFUL, Stream = 7;
    private GpuDevice Device => GpuSimulator.Get(simulator);

    [TestCase(0)]
    [TestCase(4)]
    [TestCase(64)]
    [TestCase(4096)]
    public void Words_EqualTheCpuBits(int n)
    {
        using var y = Device.Accelerator.Allocate1D<uint>(n);
        Device.FillPhiloxWords(y.View, Key, Stream);
        var words = y.GetAsArray1D();
        for (int i = 0; i < n; i++) Assert.That(words[i], Is.EqualTo(Philox.Word(Key, Stream, i)), $"word {i}");
    }

    [Test]
    public void Normals_EqualTheCpuFill([ValueSource(typeof(GpuTestData), nameof(GpuTestData.Lengths))] int n)
    {
        var expected = new float[n];
        CpuKernels.FillNormal<float>(expected, Key, Stream);
        using var y = Device.Allocate(n);
        Device.FillNormal(y.View, Key, Stream);
        var actual = y.ToArray();
        for (int i = 0; i < n; i++)
            Assert.That(Math.Abs(actual[i] - expected[i]), Is.LessThanOrEqualTo(2.4e-7 * Math.Max(1, Math.Abs(expected[i]))), $"element {i}");
    }
}
