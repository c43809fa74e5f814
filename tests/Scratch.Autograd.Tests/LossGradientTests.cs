using Scratch.Autograd;

namespace Scratch.AutogradTests;

public class LossGradientTests
{
    [TestCase(Reduction.Sum)]
    [TestCase(Reduction.Mean)]
    public void Mse_And_Bce_And_L1(Reduction reduction)
    {
        var pred = Inputs.Normal(30, 4, 5);
        var target = Inputs.Uniform(31, 0, 1, 4, 5);
        Inputs.Check("mse", v => Losses.Mse(v[0], target, reduction), pred);
        Inputs.Check("bce with logits", v => Losses.BceWithLogits(v[0], target, reduction), pred * 3.0);
        Inputs.Check("l1", v => Losses.L1(v[0], reduction), Inputs.AwayFromZero(32, 0.05, 4, 5));
    }

    [Test]
    public void Kl_And_Reparameterize()
    {
        var mu = Inputs.Normal(33, 4, 3);
        var logVar = Inputs.Normal(34, 4, 3) * 0.5;
        var eps = Inputs.Normal(35, 4, 3);
        Inputs.Check("kl", v => Losses.KlStandardNormal(v[0], v[1]), mu, logVar);
        Inputs.Check("reparameterize", v => Losses.Reparameterize(v[0], v[1], eps), mu, logVar);
    }

    [Test]
    public void BernoulliKl()
    {
        var rhoHat = Inputs.Uniform(36, 0.05, 0.95, 7);
        Inputs.Check("bernoulli kl", v => Losses.BernoulliKl(0.1, v[0]), rhoHat);
        Inputs.Check("bernoulli kl of mean activation", v => Losses.BernoulliKl(0.2, v[0].Sigmoid().Mean(0)), Inputs.Normal(37, 5, 4));
    }

    [Test]
    public void BceWithLogits_IsStableAtHundred()
    {
        var logits = new Variable(Tensor.FromArray(new double[] { -100, 100, -100, 100 }, 4), requiresGrad: true);
        var target = Tensor.FromArray(new double[] { 0, 1, 1, 0 }, 4);
        var loss = Losses.BceWithLogits(logits, target, Reduction.Sum);
        Assert.That(loss.Item(), Is.EqualTo(200.0).Within(1e-9));
        loss.Backward();
        Assert.That(logits.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 0, 0, -1, 1 }).Within(1e-12));
        // Float32 too: no infinities, no NaN.
        var l32 = Losses.BceWithLogits(new Variable(Tensor.FromArray(new float[] { -100, 100 }, 2)), Tensor.FromArray(new float[] { 1, 0 }, 2), Reduction.Sum);
        Assert.That(l32.Item(), Is.EqualTo(200.0).Within(1e-3));
    }

    [Test]
    public void LossValues_MatchHandComputation()
    {
        var pred = new Variable(Tensor.FromArray(new double[] { 1, 2, 3 }, 3));
        var target = Tensor.FromArray(new double[] { 0, 2, 5 }, 3);
        Assert.That(Losses.Mse(pred, target, Reduction.Sum).Item(), Is.EqualTo(5.0));
        Assert.That(Losses.Mse(pred, target).Item(), Is.EqualTo(5.0 / 3));
        // bce(x=0, t) = ln 2 for any t
        Assert.That(Losses.BceWithLogits(new Variable(Tensor.Zeros([2], DType.Float64)), Tensor.FromArray(new double[] { 0, 1 }, 2), Reduction.Sum).Item(), Is.EqualTo(2 * Math.Log(2)).Within(1e-15));
        // kl(mu=1, logvar=0) = ½(1 + 1 − 0 − 1) = ½
        Assert.That(Losses.KlStandardNormal(new Variable(Tensor.Ones([1], DType.Float64)), new Variable(Tensor.Zeros([1], DType.Float64))).Item(), Is.EqualTo(0.5));
        // bernoulli kl(0.5 ‖ 0.5) = 0, kl(0.1 ‖ 0.5) = 0.1 ln 0.2 + 0.9 ln 1.8
        Assert.That(Losses.BernoulliKl(0.5, new Variable(Tensor.Full([1], 0.5, DType.Float64))).Item(), Is.EqualTo(0).Within(1e-15));
        Assert.That(Losses.BernoulliKl(0.1, new Variable(Tensor.Full([1], 0.5, DType.Float64))).Item(), Is.EqualTo(0.1 * Math.Log(0.2) + 0.9 * Math.Log(1.8)).Within(1e-15));
        Assert.That(Losses.L1(new Variable(Tensor.FromArray(new double[] { -1, 2 }, 2))).Item(), Is.EqualTo(3.0));
    }

    [Test]
    public void Reparameterize_WithRng_IsReproducible_AndShifts()
    {
        var mu = new Variable(Tensor.Full([1000], 3.0, DType.Float64));
        var logVar = new Variable(Tensor.Full([1000], Math.Log(4.0), DType.Float64));
        var z1 = Losses.Reparameterize(mu, logVar, new Rng(9)).Data;
        var z2 = Losses.Reparameterize(mu, logVar, new Rng(9)).Data;
        Assert.That(z1.ToArray<double>(), Is.EqualTo(z2.ToArray<double>()));
        Assert.That(z1.Mean().Item(), Is.EqualTo(3.0).Within(0.2));
        Assert.That((z1 - 3.0).Square().Mean().Item(), Is.EqualTo(4.0).Within(0.5));
    }
}
