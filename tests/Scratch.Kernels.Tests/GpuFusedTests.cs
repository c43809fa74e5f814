using Scratch.Kernels.Gpu;
using static Scratch.Kernels.Tests.Gpu.GpuTestData;

namespace Scratch.Kernels.Tests.Gpu;

// The fused training kernels on the ILGPU CPU simulator against the plain loops of FusedReference.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuFusedTests(string simulator)
{
    private const double Rel = 1e-5;
    private GpuDevice Device => GpuSimulator.Get(simulator);

    [Test]
    public void AdamStep_ThreeSteps_MatchesReference([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n,
        [Values] bool decoupled)
    {
        var p = Uniform(n, seed: 41);
        var m = new float[n];
        var v = new float[n];
        using var pd = Device.Upload(p);
        using var md = Device.Upload(m);
        using var vd = Device.Upload(v);
        for (int t = 1; t <= 3; t++)
        {
            var g = Uniform(n, seed: 41 + t, -3, 3);
            using var gd = Device.Upload(g);
            FusedReference.AdamStep(p, g, m, v, lr: 1e-2f, beta1: 0.9f, beta2: 0.999f, eps: 1e-8f, weightDecay: 0.05f, decoupled, t);
            Device.AdamStep(pd.View, gd.View, md.View, vd.View, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, decoupled, t);
        }
        AssertClose(p, pd.ToArray(), Rel, 1e-3, "p");
        AssertClose(m, md.ToArray(), Rel, 1e-3, "m");
        AssertClose(v, vd.ToArray(), Rel, 1e-3, "v");
    }

    [Test]
    public void AdamStep_FirstStep_MovesEachParameterByLr()
    {
        // With bias correction, step 1 is p − lr·g/(|g| + eps): a move of almost exactly lr.
        using var p = Device.Upload([1f, 1f]);
        using var g = Device.Upload([0.5f, -2f]);
        using var m = Device.Allocate(2);
        using var v = Device.Allocate(2);
        m.Clear();
        v.Clear();
        Device.AdamStep(p.View, g.View, m.View, v.View, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, decoupled: false, t: 1);
        Assert.That(p.ToArray(), Is.EqualTo(new[] { 0.9f, 1.1f }).Within(1e-6f));
    }

    [Test]
    public void BceWithLogits_AndGradients_MatchReference([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        var x = Uniform(n, seed: 51, -40, 40);
        var t = Uniform(n, seed: 52, 0, 1);
        var dloss = Uniform(n, seed: 53);
        using var xd = Device.Upload(x);
        using var td = Device.Upload(t);
        using var dd = Device.Upload(dloss);
        using var yd = Device.Allocate(n);
        var expected = new float[n];

        FusedReference.BceWithLogits(x, t, expected);
        Device.BceWithLogits(xd.View, td.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, 1e-6, "loss");

        FusedReference.BceWithLogitsBackward(x, t, dloss, expected);
        Device.BceWithLogitsBackward(xd.View, td.View, dd.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, 1e-6, "dx");

        var ones = Enumerable.Repeat(0.25f, n).ToArray();
        FusedReference.BceWithLogitsBackward(x, t, ones, expected);
        Device.BceWithLogitsBackward(xd.View, td.View, 0.25f, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, 1e-6, "dx (scaled)");
    }

    [Test]
    public void BceWithLogits_ExtremeLogits_StayFinite()
    {
        using var x = Device.Upload([1000f, -1000f]);
        using var t = Device.Upload([0f, 1f]);
        using var loss = Device.Allocate(2);
        Device.BceWithLogits(x.View, t.View, loss.View);
        Assert.That(loss.ToArray(), Is.EqualTo(new[] { 1000f, 1000f }));
    }

    [Test]
    public void Reparameterize_AndGradient_MatchReference([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        var mu = Uniform(n, seed: 61, -3, 3);
        var logvar = Uniform(n, seed: 62, -6, 4);
        var eps = Uniform(n, seed: 63, -2, 2);
        var dz = Uniform(n, seed: 64);
        using var mud = Device.Upload(mu);
        using var lvd = Device.Upload(logvar);
        using var epsd = Device.Upload(eps);
        using var dzd = Device.Upload(dz);
        using var yd = Device.Allocate(n);
        var expected = new float[n];

        FusedReference.Reparameterize(mu, logvar, eps, expected);
        Device.Reparameterize(mud.View, lvd.View, epsd.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, 1e-3, "z");

        FusedReference.ReparameterizeBackward(dz, logvar, eps, expected);
        Device.ReparameterizeBackward(dzd.View, lvd.View, epsd.View, yd.View);
        AssertClose(expected, yd.ToArray(), Rel, 1e-6, "dlogvar");
    }

    [Test]
    public void KlNormal_AndGradients_MatchReference([ValueSource(typeof(GpuTestData), nameof(Lengths))] int n)
    {
        var mu = Uniform(n, seed: 71, -3, 3);
        var logvar = Uniform(n, seed: 72, -6, 4);
        var dkl = Uniform(n, seed: 73);
        using var mud = Device.Upload(mu);
        using var lvd = Device.Upload(logvar);
        using var dkld = Device.Upload(dkl);
        using var kld = Device.Allocate(n);
        using var dmud = Device.Allocate(n);
        using var dlvd = Device.Allocate(n);
        var expected = new float[n];
        var expectedDlv = new float[n];

        FusedReference.KlNormal(mu, logvar, expected);
        Device.KlNormal(mud.View, lvd.View, kld.View);
        AssertClose(expected, kld.ToArray(), Rel, 1e-3, "kl");

        FusedReference.KlNormalBackward(mu, logvar, dkl, expected, expectedDlv);
        Device.KlNormalBackward(mud.View, lvd.View, dkld.View, dmud.View, dlvd.View);
        AssertClose(expected, dmud.ToArray(), Rel, 1e-6, "dmu");
        AssertClose(expectedDlv, dlvd.ToArray(), Rel, 1e-6, "dlogvar");
    }

    [Test]
    public void KlNormal_StandardNormal_IsZero()
    {
        using var mu = Device.Upload([0f, 0f]);
        using var logvar = Device.Upload([0f, 0f]);
        using var kl = Device.Allocate(2);
        Device.KlNormal(mu.View, logvar.View, kl.View);
        Assert.That(kl.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public void AdamStep_StepZero_Throws()
    {
        using var p = Device.Allocate(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Device.AdamStep(p.View, p.View, p.View, p.View, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, t: 0));
        Assert.That(error!.Message, Does.Contain("GpuDevice.AdamStep"));
    }
}
