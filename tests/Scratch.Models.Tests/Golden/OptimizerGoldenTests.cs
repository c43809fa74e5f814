using Scratch.Autograd;
using Scratch.Models.Optim;
using Scratch.Testing;

namespace Scratch.Models.Tests.GoldenFiles;

// Five steps of each optimizer against torch.optim (TorchSharp, float64): tests/golden/optimizers.json.
public class OptimizerGoldenTests
{
    private static readonly Golden G = Golden.Load("optimizers.json");

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("sgd_momentum", (Func<Variable, Optimizer>)(p => new Sgd([p], 0.1, momentum: 0.9, weightDecay: 0.01)));
        yield return new TestCaseData("sgd", (Func<Variable, Optimizer>)(p => new Sgd([p], 0.1)));
        yield return new TestCaseData("adam", (Func<Variable, Optimizer>)(p => new Adam([p], 0.1)));
        yield return new TestCaseData("adam_wd", (Func<Variable, Optimizer>)(p => new Adam([p], 0.1, weightDecay: 0.01)));
        yield return new TestCaseData("adamw", (Func<Variable, Optimizer>)(p => new AdamW([p], 0.1, weightDecay: 0.01)));
    }

    [TestCaseSource(nameof(Cases))]
    public void FiveSteps_MatchTorch(string name, Func<Variable, Optimizer> create)
    {
        var p = new Variable(G.Tensor("p0"), requiresGrad: true);
        var optimizer = create(p);
        for (int t = 1; t <= 5; t++)
        {
            p.Grad = G.Tensor($"g{t}");
            optimizer.Step();
            var expected = G.Tensor($"{name}.step{t}").ToArray<double>();
            var actual = p.Data.ToArray<double>();
            for (int k = 0; k < expected.Length; k++)
                Assert.That(actual[k], Is.EqualTo(expected[k]).Within(1e-14).Or.EqualTo(expected[k]).Within(1e-12).Percent,
                    $"{name} step {t} element {k}");
        }
    }

    [Test]
    public void Float32_Adam_TracksTheFloat64Trajectory()
    {
        var p = new Variable(G.Tensor("p0").To(DType.Float32), requiresGrad: true);
        var adam = new Adam([p], 0.1);
        for (int t = 1; t <= 5; t++)
        {
            p.Grad = G.Tensor($"g{t}").To(DType.Float32);
            adam.Step();
        }
        var expected = G.Tensor("adam.step5").ToArray<double>();
        var actual = p.Data.ToDoubleArray();
        for (int k = 0; k < expected.Length; k++) Assert.That(actual[k], Is.EqualTo(expected[k]).Within(1e-5));
    }
}
