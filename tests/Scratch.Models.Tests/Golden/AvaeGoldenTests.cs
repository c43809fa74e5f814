using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Optim;
using Scratch.Testing;

namespace Scratch.Models.Tests.GoldenFiles;

// The AVAE's training step against a TorchSharp twin in float64: tests/golden/avae_step.json
// (tools/TorchReference/AvaeGolden.cs). A 12-8-3 MLP with the file's formula weights, its x, ε and
// z₀: the loss and its four terms, every gradient, and every parameter after one Adam step must
// agree to 1e-6 relative — for the AVAE on data (AutoencodingVae.Loss) and for the post-processing
// step (SelfSupervisedLoss, Adam over TrainableParameters: the encoder only).
public class AvaeGoldenTests
{
    private static readonly Golden G = Golden.Load("avae_step.json");
    private const double Rho = 0.9;
    private static double _worst;

    private static AutoencodingVae Model(bool postProcessing)
    {
        var config = new AutoencoderConfig { InputSize = 12, HiddenSizes = [8], LatentSize = 3, DType = DType.Float64 };
        var model = new AutoencodingVae(config, new Rng(1), Rho, postProcessing: postProcessing);
        // By Scratch's own names: their agreeing with torch.nn's Sequential (encoder.2.weight) is part of the check.
        model.LoadStateDict(model.NamedParameters().ToDictionary(p => p.Name, p => G.Tensor(p.Name)));
        return model;
    }

    [Test]
    public void OneStepOnData_LossTermsGradientsAndParameters_MatchTorch()
    {
        var model = Model(postProcessing: false);
        var adam = new Adam(model.TrainableParameters(), learningRate: 1e-3);
        Assert.That(adam.Parameters, Has.Count.EqualTo(8), "every parameter is trained");
        adam.ZeroGrad();
        var loss = model.Loss(G.Tensor("x"), G.Tensor("eps"));
        AssertTerms("step", loss);
        loss.Total.Backward();
        foreach (var (name, p) in model.NamedParameters()) AssertClose($"step.{name}.grad", p.Grad!);
        adam.Step();
        foreach (var (name, p) in model.NamedParameters()) AssertClose($"step.{name}", p.Data);
        TestContext.Out.WriteLine($"avae_step.json: largest relative error so far {_worst:G3}");
    }

    [Test]
    public void OnePostProcessingStep_EncoderOnly_MatchesTorch()
    {
        var model = Model(postProcessing: true);
        var adam = new Adam(model.TrainableParameters(), learningRate: 1e-3);
        Assert.That(adam.Parameters, Has.Count.EqualTo(4), "the encoder's two layers only");
        using (NoGrad.Scope())
            AssertClose("post.images", model.Decode(G.Tensor("z0")).Data.Sigmoid());
        adam.ZeroGrad();
        var loss = model.SelfSupervisedLoss(G.Tensor("z0"), G.Tensor("eps"));
        AssertTerms("post", loss);
        loss.Total.Backward();
        foreach (var (name, p) in model.Encoder.NamedParameters()) AssertClose($"post.encoder.{name}.grad", p.Grad!);
        adam.Step();
        foreach (var (name, p) in model.NamedParameters()) AssertClose($"post.{name}", p.Data);
        foreach (var (name, p) in model.Decoder.NamedParameters())
            Assert.That(p.Data.ToArray<double>(), Is.EqualTo(G.Tensor($"decoder.{name}").ToArray<double>()), $"decoder.{name} is kept bit for bit");
        TestContext.Out.WriteLine($"avae_step.json: largest relative error so far {_worst:G3}");
    }

    private static void AssertTerms(string prefix, LossReport loss)
    {
        Assert.That(loss.Value, Is.EqualTo(G.Scalar($"{prefix}.loss")).Within(1e-6).Percent, $"{prefix}.loss");
        Assert.That(loss.Terms.Select(t => t.Name), Is.EqualTo(new[] { "reconstruction", "kl", "conditional", "entropy" }));
        foreach (var (name, value) in loss.Terms)
        {
            double expected = G.Scalar($"{prefix}.{name}");
            _worst = Math.Max(_worst, Math.Abs(value - expected) / Math.Abs(expected));
            Assert.That(value, Is.EqualTo(expected).Within(1e-6).Percent, $"{prefix}.{name}");
        }
    }

    // Relative error of each element against the largest magnitude in the tensor, as the other golden tests.
    private static void AssertClose(string name, Tensor actual)
    {
        var expected = G.Tensor(name);
        Assert.That(actual.DType, Is.EqualTo(DType.Float64), name + " dtype");
        Assert.That(actual.ShapeArray, Is.EqualTo(expected.ShapeArray), name + " shape");
        var e = expected.ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        double scale = Math.Max(e.Max(Math.Abs), 1e-12);
        for (int i = 0; i < e.Length; i++)
        {
            double relative = Math.Abs(a[i] - e[i]) / scale;
            _worst = Math.Max(_worst, relative);
            Assert.That(relative, Is.LessThanOrEqualTo(1e-6), $"{name}[{i}]: {a[i]:R} vs TorchSharp {e[i]:R}");
        }
    }
}
