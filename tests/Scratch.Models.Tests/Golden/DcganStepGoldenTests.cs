using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Nn;
using Scratch.Testing;

namespace Scratch.Models.Tests.GoldenFiles;

// Scratch's DCGAN training step against a TorchSharp twin in float64: tests/golden/dcgan_step.json
// (tools/TorchReference/DcganGolden.cs). Two full steps of DcganTrainer.Step — the code `scratch
// generate` trains with — on a reduced-width DCGAN (latent 4, f = 2; every layer type of the real one),
// with the file's formula weights and batches. Losses, every gradient, the parameters and BatchNorm
// buffers after each step must agree to 1e-6 relative.
public class DcganStepGoldenTests
{
    private static readonly Golden G = Golden.Load("dcgan_step.json");
    private static double _worst;

    private static readonly GanRecipe Recipe = new()
    {
        Shape = new GanShape(LatentSize: 4, Features: 2), BatchSize = 4, DType = DType.Float64,
    };

    [Test]
    public void TwoAlternatingSteps_LossesGradientsParametersAndBuffers_MatchTorch()
    {
        // The batches come from the test (the file's tensors), so the trainer's own digits are unused.
        var trainer = new DcganTrainer(Recipe, new ImageSet(ImageShape.Mnist, new byte[4 * 784], labels: null));
        Load(trainer.Generator, "G.");
        Load(trainer.Discriminator, "D.");
        Assert.That(trainer.GeneratorOptimizer.Parameters[0].Data.DType, Is.EqualTo(DType.Float64));

        var dNames = trainer.Discriminator.NamedParameters().Select(p => p.Name).ToArray();
        var previousMoments = dNames.Select(_ => (Tensor?)null).ToArray();
        double beta1 = Recipe.Beta1;
        for (int t = 1; t <= 2; t++)
        {
            var (d, g) = trainer.Step(G.Tensor($"real{t - 1}"), G.Tensor($"z{t - 1}"));
            Assert.That(d, Is.EqualTo(G.Scalar($"step{t}.d_loss")).Within(1e-6).Percent, $"step {t}: D loss");
            Assert.That(g, Is.EqualTo(G.Scalar($"step{t}.g_loss")).Within(1e-6).Percent, $"step {t}: G loss");

            foreach (var (name, p) in trainer.Generator.NamedParameters())
                AssertClose($"step{t}.G.{name}.grad", p.Grad!);
            // D's gradient now holds d_loss's plus g_loss's (G's loss backpropagates through D, and
            // the next step's ZeroGrad clears it), exactly as torch accumulates it.
            foreach (var (name, p) in trainer.Discriminator.NamedParameters())
                AssertClose($"step{t}.D.{name}.grad", p.Grad!);
            // d_loss's gradient alone, which D's Adam stepped with, is in its first moment:
            // m_t = β₁·m_{t−1} + (1 − β₁)·g_t, so g_t = (m_t − β₁·m_{t−1}) / (1 − β₁).
            var moments = FirstMoments(trainer).ToArray();
            for (int i = 0; i < dNames.Length; i++)
            {
                var m = moments[i];
                var grad = previousMoments[i] is { } mPrev ? (m - mPrev * beta1) * (1 / (1 - beta1)) : m * (1 / (1 - beta1));
                AssertClose($"step{t}.D.{dNames[i]}.grad_d", grad);
                previousMoments[i] = m.Contiguous() * 1.0;   // a copy: Adam updates m in place
            }

            foreach (var (name, value) in trainer.Generator.NamedState()) AssertState(t, "G." + name, value);
            foreach (var (name, value) in trainer.Discriminator.NamedState()) AssertState(t, "D." + name, value);
        }
        TestContext.Out.WriteLine($"dcgan_step.json: largest relative error {_worst:G3}");
    }

    // The file's formula weights into Scratch's networks, by Scratch's own parameter names: the names
    // agreeing with torch.nn's (net.1.weight, body.4.running_var, head.bias) is part of what is checked.
    private static void Load(Module network, string prefix)
    {
        var state = network.NamedParameters().ToDictionary(p => p.Name, p => G.Tensor(prefix + p.Name));
        var (missing, _) = network.LoadStateDict(state, strict: false);
        Assert.That(missing.All(n => n.Contains("running") || n.Contains("num_batches")), Is.True, string.Join(", ", missing));
    }

    private static IEnumerable<Tensor> FirstMoments(DcganTrainer trainer) =>
        trainer.DiscriminatorOptimizer.State().Where(s => s.Name.StartsWith("m.", StringComparison.Ordinal)).Select(s => s.State);

    private static void AssertState(int t, string name, Tensor value)
    {
        if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
        {
            if (t == 2) Assert.That(value.Item(), Is.EqualTo(G.Scalar(name)), name);
            return;
        }
        AssertClose($"step{t}.{name}", value);
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
