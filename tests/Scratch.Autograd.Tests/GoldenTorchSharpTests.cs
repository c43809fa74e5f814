using Scratch.Autograd;
using Scratch.Testing;

namespace Scratch.AutogradTests;

// A small MLP with a VAE head against TorchSharp (libtorch 2.10) in float64: forward values, the
// loss and its terms, and every parameter's gradient, to 1e-6 relative (tests/golden/autograd_vae_mlp.json).
public class GoldenTorchSharpTests
{
    private static readonly Golden G = Golden.Load("autograd_vae_mlp.json");

    private static Variable Param(string name) => new(G.Tensor(name), requiresGrad: true, name: name);

    [Test]
    public void VaeMlp_ForwardLossAndGradients_MatchTorchSharp()
    {
        var x = new Variable(G.Tensor("x"), requiresGrad: true);
        Variable w1 = Param("W1"), b1 = Param("b1"), w2 = Param("W2"), b2 = Param("b2");
        Variable w3 = Param("W3"), b3 = Param("b3"), w4 = Param("W4"), b4 = Param("b4");

        var h1 = Variable.Linear(x, w1, b1).Relu();
        var head = Variable.Linear(h1, w2, b2);
        var parts = head.Split(1, 3, 3);
        var (mu, logVar) = (parts[0], parts[1]);
        var z = Losses.Reparameterize(mu, logVar, G.Tensor("eps"));
        var h3 = Variable.Linear(z, w3, b3).Tanh();
        var logits = Variable.Linear(h3, w4, b4);
        // The engine's BCE treats the target as a constant, so x's gradient is the encoder path only.
        var bce = Losses.BceWithLogits(logits, G.Tensor("x"), Reduction.Sum);
        var kl = Losses.KlStandardNormal(mu, logVar);
        var loss = bce + kl;

        AssertClose("h1", h1.Data);
        AssertClose("head", head.Data);
        AssertClose("mu", mu.Data);
        AssertClose("logvar", logVar.Data);
        AssertClose("z", z.Data);
        AssertClose("h3", h3.Data);
        AssertClose("logits", logits.Data);
        Assert.That(bce.Item(), Is.EqualTo(G.Scalar("bce")).Within(1e-6).Percent, "bce");
        Assert.That(kl.Item(), Is.EqualTo(G.Scalar("kl")).Within(1e-6).Percent, "kl");
        Assert.That(loss.Item(), Is.EqualTo(G.Scalar("loss")).Within(1e-6).Percent, "loss");

        loss.Backward();
        foreach (var (name, p) in new[] { ("W1", w1), ("b1", b1), ("W2", w2), ("b2", b2), ("W3", w3), ("b3", b3), ("W4", w4), ("b4", b4) })
            AssertClose(name + ".grad", p.Grad!);
        AssertClose("x.grad_target_detached", x.Grad!);
    }

    // Relative error 1e-6 of each element, measured against the largest magnitude in the tensor
    // (an element that is 0 in both is exact; tiny elements are judged on the tensor's scale).
    private static void AssertClose(string name, Tensor actual)
    {
        var expected = G.Tensor(name);
        Assert.That(actual.ShapeArray, Is.EqualTo(expected.ShapeArray), name + " shape");
        var e = expected.ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        double scale = Math.Max(e.Max(Math.Abs), 1e-300);
        for (int i = 0; i < e.Length; i++)
            Assert.That(Math.Abs(a[i] - e[i]) / scale, Is.LessThanOrEqualTo(1e-6), $"{name}[{i}]: {a[i]:R} vs TorchSharp {e[i]:R}");
    }
}
