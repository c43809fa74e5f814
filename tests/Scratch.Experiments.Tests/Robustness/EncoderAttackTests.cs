using Scratch.Autograd;
using Scratch.Experiments.Robustness;
using Scratch.Models.Nn;

namespace Scratch.Experiments.Tests.Robustness;

public class EncoderAttackTests
{
    // A linear encoder μ = W·x (no bias), W: (3, 6), in float64 so a closed form holds to rounding.
    private static Linear LinearEncoder(ulong seed = 5) => new(6, 3, new Rng(seed), bias: false, dtype: DType.Float64);

    private static double[,] Matrix(Linear layer)
    {
        var w = layer.Weight.Data.ToArray<double>();
        var m = new double[layer.OutFeatures, layer.InFeatures];
        for (int o = 0; o < layer.OutFeatures; o++)
            for (int i = 0; i < layer.InFeatures; i++) m[o, i] = w[o * layer.InFeatures + i];
        return m;
    }

    // WᵀW·v for one row v.
    private static double[] GramTimes(double[,] w, double[] v)
    {
        int outs = w.GetLength(0), ins = w.GetLength(1);
        var wv = new double[outs];
        for (int o = 0; o < outs; o++)
            for (int i = 0; i < ins; i++) wv[o] += w[o, i] * v[i];
        var result = new double[ins];
        for (int i = 0; i < ins; i++)
            for (int o = 0; o < outs; o++) result[i] += w[o, i] * wv[o];
        return result;
    }

    private static double Norm(IEnumerable<double> v) => Math.Sqrt(v.Sum(x => x * x));

    [Test]
    public void OneL2Step_OnALinearEncoder_IsItsClosedForm()
    {
        // μ(x + δ) − μ(x) = Wδ, so L(δ) = ‖Wδ‖² and ∇δL = 2·WᵀW·δ. From δ₀ the L2 step is
        //   v = δ₀ + α·WᵀWδ₀ / ‖WᵀWδ₀‖   (the factor 2 cancels in the normalisation)
        //   δ₁ = v · min(1, ε/‖v‖)        (the ball; the pixel clip is inactive: x = 0.5, ε < 0.5)
        var layer = LinearEncoder();
        var w = Matrix(layer);
        const int pixels = 6, batch = 2;
        var clean = Enumerable.Repeat(0.5, batch * pixels).ToArray();
        var rng = new Rng(11);
        var delta0 = Enumerable.Range(0, batch * pixels).Select(_ => 0.03 * rng.NextNormal()).ToArray();
        var target = layer.Forward(Tensor.FromArray(clean, batch, pixels)).Data;   // μ(x): (2, 3)
        foreach (double stepFactor in new[] { 0.5, 40.0 })   // a step inside the ball, and one the ball cuts back
        {
            var settings = new PgdSettings { Norm = AttackNorm.L2, Epsilon = 0.1, Steps = 20, StepFactor = stepFactor };
            var delta1 = EncoderAttack.Step(v => layer.Forward(v), clean, pixels, target, delta0, settings, DType.Float64, Device.Cpu);
            for (int b = 0; b < batch; b++)
            {
                var d0 = delta0.Skip(b * pixels).Take(pixels).ToArray();
                var g = GramTimes(w, d0);
                double gn = Norm(g);
                var v = d0.Select((x, i) => x + settings.StepSize * g[i] / gn).ToArray();
                double scale = Math.Min(1, settings.Epsilon / Norm(v));
                for (int i = 0; i < pixels; i++)
                    Assert.That(delta1[b * pixels + i], Is.EqualTo(v[i] * scale).Within(1e-14), $"step factor {stepFactor}, image {b}, pixel {i}");
            }
        }
    }

    [Test]
    public void L2Attack_OnALinearEncoder_FindsTheTopSingularDirection()
    {
        // max ‖Wδ‖ over ‖δ‖ ≤ ε is ε·σ₁(W); the L2 PGD iteration is a damped power iteration on WᵀW and gets there.
        var layer = LinearEncoder(seed: 8);
        var w = Matrix(layer);
        var top = Enumerable.Repeat(1.0, 6).ToArray();
        for (int k = 0; k < 500; k++)
        {
            var next = GramTimes(w, top);
            double n = Norm(next);
            top = next.Select(x => x / n).ToArray();
        }
        double sigma1 = Math.Sqrt(Norm(GramTimes(w, top)));
        var x = Tensor.FromArray(Enumerable.Repeat(0.5, 6).ToArray(), 1, 6);
        var settings = new PgdSettings { Norm = AttackNorm.L2, Epsilon = 0.2, Steps = 60, StepFactor = 30 };
        var attacked = EncoderAttack.Attack(v => layer.Forward(v), x, settings, new Rng(3), layer.Parameters());
        var delta = attacked.ToArray<double>().Select(p => p - 0.5).ToArray();
        var wd = new double[3];
        for (int o = 0; o < 3; o++) for (int i = 0; i < 6; i++) wd[o] += w[o, i] * delta[i];
        Assert.That(Norm(delta), Is.EqualTo(0.2).Within(1e-12), "on the sphere");
        Assert.That(Norm(wd), Is.EqualTo(0.2 * sigma1).Within(1e-9 * sigma1), "the code moved as far as any δ in the ball can move it");
    }

    [Test]
    public void EpsilonZero_ChangesNothing([Values] AttackNorm norm)
    {
        var (encode, _) = RandomMlp(DType.Float32);
        var x = RandomImages(8, 20, new Rng(4), DType.Float32);
        var attacked = EncoderAttack.Attack(encode, x, new PgdSettings { Norm = norm, Epsilon = 0, Steps = 5 }, new Rng(1));
        Assert.That(attacked.ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
    }

    [Test]
    public void Perturbation_NeverLeavesTheBallNorThePixelRange([Values] AttackNorm norm, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        var (encode, _) = RandomMlp(dtype);
        // float32 inputs can sit outside by one float32 rounding of a pixel; float64 to double rounding.
        double slack = dtype == DType.Float32 ? 1e-6 : 1e-12;
        foreach (double eps in new[] { 0.01, 0.1, 0.3, 1.0, 2.5 })
        {
            var x = RandomImages(16, 20, new Rng((ulong)(eps * 1000)), dtype);
            var settings = new PgdSettings { Norm = norm, Epsilon = eps, Steps = 7, StepFactor = 3 };
            var clean = x.To(DType.Float64).ToArray<double>();
            var attacked = EncoderAttack.Attack(encode, x, settings, new Rng(9)).To(DType.Float64).ToArray<double>();
            Assert.That(attacked, Is.All.InRange(0.0, 1.0), $"ε {eps}: pixels in [0, 1]");
            var delta = attacked.Select((v, i) => v - clean[i]).ToArray();
            var norms = EncoderAttack.Norms(delta, 20, norm);
            Assert.That(norms, Is.All.LessThanOrEqualTo(eps + slack * Math.Sqrt(20)), $"ε {eps}: inside the {norm} ball");
            Assert.That(norms.Max(), Is.GreaterThan(0.2 * Math.Min(eps, 0.5)), $"ε {eps}: the attack moved");
        }
    }

    [Test]
    public void Attack_MovesTheCodeFurtherThanItsRandomStart([Values] AttackNorm norm)
    {
        var (encode, _) = RandomMlp(DType.Float64);
        var x = RandomImages(32, 20, new Rng(21), DType.Float64);
        var settings = new PgdSettings { Norm = norm, Epsilon = norm == AttackNorm.LInf ? 0.05 : 0.3 };
        var clean = encode(x).Data.ToArray<double>();
        double Shift(Tensor images) => encode(images).Data.ToArray<double>().Select((v, i) => (v - clean[i]) * (v - clean[i])).Sum();
        var start = EncoderAttack.Attack(encode, x, settings with { Steps = 1, StepFactor = 1e-9 }, new Rng(2));   // the random start, barely moved
        var attacked = EncoderAttack.Attack(encode, x, settings, new Rng(2));
        Assert.That(Shift(attacked), Is.GreaterThan(5 * Shift(start)), "PGD ascends ‖μ(x + δ) − μ(x)‖²");
    }

    [Test]
    public void Attack_LeavesTheEncodersGradientsCleared()
    {
        var (encode, mlp) = RandomMlp(DType.Float32);
        var x = RandomImages(4, 20, new Rng(2), DType.Float32);
        EncoderAttack.Attack(encode, x, new PgdSettings { Epsilon = 0.1, Steps = 2 }, new Rng(1), mlp.Parameters());
        Assert.That(mlp.Parameters().Select(p => p.Grad), Is.All.Null);
    }

    [Test]
    public void BadSettingsAndImages_AreRefusedByName()
    {
        var (encode, _) = RandomMlp(DType.Float32);
        var x = RandomImages(2, 20, new Rng(2), DType.Float32);
        var ex = Assert.Throws<ArgumentException>(() => EncoderAttack.Attack(encode, x, new PgdSettings { Epsilon = -0.1 }, new Rng(1)));
        Assert.That(ex!.Message, Does.Contain("ε -0.1"));
        Assert.Throws<ArgumentException>(() => EncoderAttack.Attack(encode, x, new PgdSettings { Epsilon = 0.1, Steps = 0 }, new Rng(1)));
        Assert.Throws<ArgumentException>(() => EncoderAttack.Attack(encode, x, new PgdSettings { Epsilon = double.NaN }, new Rng(1)));
        var tooBright = Tensor.FromArray(Enumerable.Repeat(1.5f, 40).ToArray(), 2, 20);
        ex = Assert.Throws<ArgumentException>(() => EncoderAttack.Attack(encode, tooBright, new PgdSettings { Epsilon = 0.1 }, new Rng(1)));
        Assert.That(ex!.Message, Does.Contain("[0, 1]"));
    }

    // A 20-16-4 tanh MLP: smooth, so every gradient is non-zero.
    private static (Func<Variable, Variable> Encode, Sequential Mlp) RandomMlp(DType dtype)
    {
        var mlp = Sequential.Mlp([20, 16, 4], Activation.Tanh, new Rng(17), dtype);
        return (v => mlp.Forward(v), mlp);
    }

    // (B, n) pixels: a third exactly 0, a third exactly 1, the rest uniform — the clip's edges included.
    private static Tensor RandomImages(int batch, int pixels, Rng rng, DType dtype)
    {
        var values = new double[batch * pixels];
        for (int i = 0; i < values.Length; i++)
        {
            double u = rng.NextDouble();
            values[i] = u < 1.0 / 3 ? 0 : u < 2.0 / 3 ? 1 : rng.NextDouble();
        }
        return Tensor.FromArray(values, batch, pixels).To(dtype);
    }
}
