using Scratch.Kernels.Gpu;
using static Scratch.Kernels.Tests.Gpu.GpuTestData;
using CpuFused = Scratch.Kernels.Cpu.FusedReference;

namespace Scratch.Kernels.Tests.Gpu;

// The fused SGD kernel on the ILGPU CPU simulator against the GPU reference loop and the CPU
// engine's oracle (PyTorch's rounding), over three steps so the momentum buffer is exercised.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuSgdTests(string simulator)
{
    private const double Rel = 1e-5;
    private GpuDevice Device => GpuSimulator.Get(simulator);

    [Test]
    public void SgdStep_ThreeSteps_MatchesBothReferences([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n,
        [Values(0f, 0.9f)] float momentum, [Values] bool nesterov)
    {
        const float lr = 0.05f, dampening = 0.1f, weightDecay = 0.01f;
        float damp = nesterov ? 0f : dampening;   // PyTorch: Nesterov needs zero dampening
        var p = Uniform(n, seed: 61);
        var pCpu = (float[])p.Clone();
        var buf = new float[n];
        var bufCpu = new float[n];
        using var pd = Device.Upload(p);
        using var bd = Device.Allocate(n);
        bd.Clear();
        for (int t = 1; t <= 3; t++)
        {
            var g = Uniform(n, seed: 61 + t, -3, 3);
            using var gd = Device.Upload(g);
            FusedReference.SgdStep(p, g, buf, lr, momentum, damp, weightDecay, nesterov, t);
            CpuFused.SgdStep<float>(pCpu, g, bufCpu, lr, momentum, damp, weightDecay, nesterov, t);
            Device.SgdStep(pd.View, gd.View, bd.View, lr, momentum, damp, weightDecay, nesterov, t);
        }
        AssertClose(p, pd.ToArray(), Rel, 1e-3, "p vs GPU reference");
        // The CPU oracle fuses multiply-adds (one rounding) where the GPU rounds twice: a parameter
        // that cancels to near zero differs by an ulp of the terms (~1), not of the result.
        AssertClose(pCpu, pd.ToArray(), Rel, 1.0, "p vs CPU oracle");
        AssertClose(buf, bd.ToArray(), Rel, 1e-3, "momentum buffer");
    }

    [Test]
    public void SgdStep_PlainStep_IsPMinusLrG()
    {
        using var p = Device.Upload([1f, -2f]);
        using var g = Device.Upload([0.5f, 4f]);
        using var buf = Device.Allocate(2);
        Device.SgdStep(p.View, g.View, buf.View, 0.1f, 0f, 0f, 0f, nesterov: false, t: 1);
        Assert.That(p.ToArray(), Is.EqualTo(new[] { 0.95f, -2.4f }).Within(1e-6f));
    }

    [Test]
    public void SgdStep_BadStepOrLength_IsAClearError()
    {
        using var p = Device.Allocate(3);
        using var g = Device.Allocate(2);
        var e = Assert.Throws<ArgumentException>(() => Device.SgdStep(p.View, g.View, p.View, 0.1f, 0, 0, 0, false, 1));
        Assert.That(e!.Message, Does.Contain("SgdStep").And.Contain("g has length 2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.SgdStep(p.View, p.View, p.View, 0.1f, 0, 0, 0, false, 0));
    }
}
