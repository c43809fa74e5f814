using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;
using static Scratch.Models.Tests.Autoencoders.PlainForward;

namespace Scratch.Models.Tests.Autoencoders;

// Each model's loss terms equal the same quantities computed by hand (plain loops, float64) from the
// model's own parameters.
public class LossTermTests
{
    private static readonly AutoencoderConfig Tiny = new() { InputSize = 6, HiddenSizes = [5], LatentSize = 3, DType = DType.Float64 };

    private static Tensor Batch() => Tensor.Rand([4, 6], new Rng(77), DType.Float64);

    private static List<(double[] W, double[] B)> Layers(Sequential net) =>
        net.Layers.OfType<Linear>().Select(l => (l.Weight.Data.ToArray<double>(), l.Bias!.Data.ToArray<double>())).ToList();

    private static double Term(LossReport r, string name) => r.Terms.Single(t => t.Name == name).Value;

    [Test]
    public void Undercomplete_ReconstructionIsBcePerSample()
    {
        var model = new UndercompleteAutoencoder(Tiny, new Rng(1));
        var x = Batch();
        var report = model.ComputeLoss(x, new TrainingContext(new Rng(2)));
        var xm = ToMatrix(x);
        double expected = BcePerSample(Mlp(Mlp(xm, Layers(model.Encoder)), Layers(model.Decoder)), xm);
        Assert.That(Term(report, "reconstruction"), Is.EqualTo(expected).Within(1e-12));
        Assert.That(report.Value, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Sparse_KlPenalty_MatchesHand()
    {
        var model = new SparseAutoencoder(Tiny, new Rng(1), new SparsityPenalty.KlDivergence(Rho: 0.1, Beta: 2.0));
        var x = Batch();
        var report = model.ComputeLoss(x, new TrainingContext(new Rng(2)));
        var xm = ToMatrix(x);
        var code = Map(Mlp(xm, Layers(model.Encoder)), Sigmoid);
        double kl = 0;
        for (int j = 0; j < 3; j++)
        {
            double rhoHat = 0;
            for (int n = 0; n < 4; n++) rhoHat += code[n, j] / 4;
            kl += 0.1 * Math.Log(0.1 / rhoHat) + 0.9 * Math.Log(0.9 / (1 - rhoHat));
        }
        Assert.That(Term(report, "sparsity"), Is.EqualTo(2.0 * kl).Within(1e-12));
        double reconstruction = BcePerSample(Mlp(code, Layers(model.Decoder)), xm);
        Assert.That(Term(report, "reconstruction"), Is.EqualTo(reconstruction).Within(1e-12));
        Assert.That(report.Value, Is.EqualTo(reconstruction + 2.0 * kl).Within(1e-12));
    }

    [Test]
    public void Sparse_L1Penalty_MatchesHand()
    {
        var model = new SparseAutoencoder(Tiny, new Rng(1), new SparsityPenalty.L1(Lambda: 0.5));
        var x = Batch();
        var report = model.ComputeLoss(x, new TrainingContext(new Rng(2)));
        var code = Map(Mlp(ToMatrix(x), Layers(model.Encoder)), v => Math.Max(v, 0));
        double l1 = 0;
        foreach (var v in code) l1 += Math.Abs(v);
        Assert.That(Term(report, "sparsity"), Is.EqualTo(0.5 * l1 / 4).Within(1e-12));
    }

    [Test]
    public void Denoising_FullMask_FeedsZeros_ButComparesWithCleanInput()
    {
        var model = new DenoisingAutoencoder(Tiny, new Rng(1), new Corruption.Masking(1.0));
        var x = Batch();
        var report = model.ComputeLoss(x, new TrainingContext(new Rng(2)));
        var zeros = new double[4, 6];
        double expected = BcePerSample(Mlp(Mlp(zeros, Layers(model.Encoder)), Layers(model.Decoder)), ToMatrix(x));
        Assert.That(Term(report, "reconstruction"), Is.EqualTo(expected).Within(1e-12));
        // In eval mode nothing is corrupted.
        model.Eval();
        var clean = model.ComputeLoss(x, new TrainingContext(new Rng(2)));
        var xm = ToMatrix(x);
        Assert.That(clean.Value, Is.EqualTo(BcePerSample(Mlp(Mlp(xm, Layers(model.Encoder)), Layers(model.Decoder)), xm)).Within(1e-12));
    }

    [Test]
    public void Vae_ReconstructionAndKl_MatchHand_WithTheSameEpsilon()
    {
        var model = new VariationalAutoencoder(Tiny, new Rng(1), beta: 0.5);
        var x = Batch();
        var report = model.ComputeLoss(x, new TrainingContext(new Rng(5)));
        var eps = ToMatrix(Tensor.Randn([4, 3], new Rng(5), DType.Float64));   // the loss's first draw
        var xm = ToMatrix(x);
        var head = Mlp(xm, Layers(model.Encoder));
        var z = new double[4, 3];
        double kl = 0;
        for (int n = 0; n < 4; n++)
            for (int j = 0; j < 3; j++)
            {
                double mu = head[n, j], logVar = head[n, 3 + j];
                z[n, j] = mu + Math.Exp(0.5 * logVar) * eps[n, j];
                kl += 0.5 * (mu * mu + Math.Exp(logVar) - logVar - 1);
            }
        double reconstruction = BcePerSample(Mlp(z, Layers(model.Decoder)), xm);
        Assert.That(Term(report, "reconstruction"), Is.EqualTo(reconstruction).Within(1e-12));
        Assert.That(Term(report, "kl"), Is.EqualTo(kl / 4).Within(1e-12));
        Assert.That(report.Value, Is.EqualTo(reconstruction + 0.5 * kl / 4).Within(1e-12));
    }

    [Test]
    public void Vae_WarmUp_RampsBetaLinearly()
    {
        var model = new VariationalAutoencoder(Tiny, new Rng(1), beta: 2.0, warmupEpochs: 4);
        Assert.That(model.BetaAt(0), Is.EqualTo(0));
        Assert.That(model.BetaAt(1), Is.EqualTo(0.5));
        Assert.That(model.BetaAt(4), Is.EqualTo(2.0));
        Assert.That(model.BetaAt(10), Is.EqualTo(2.0));
    }

    [Test]
    public void Contractive_Penalty_MatchesHand_AndTheNumericJacobian()
    {
        var config = Tiny with { HiddenSizes = [] };   // one sigmoid layer: the penalty is exactly ‖∂h/∂x‖²_F
        var model = new ContractiveAutoencoder(config, new Rng(1), lambda: 0.25);
        var x = Batch();
        var report = model.ComputeLoss(x, new TrainingContext(new Rng(2)));
        var layer = Layers(model.Encoder)[0];
        var xm = ToMatrix(x);
        double penalty = 0;
        const double h = 1e-6;
        for (int n = 0; n < 4; n++)
        {
            // ‖J‖²_F by central differences of h(x) = σ(Wx + b), one input coordinate at a time.
            for (int i = 0; i < 6; i++)
            {
                var plus = (double[,])xm.Clone();
                var minus = (double[,])xm.Clone();
                plus[n, i] += h;
                minus[n, i] -= h;
                var hp = Map(Linear(plus, layer.W, layer.B), Sigmoid);
                var hm = Map(Linear(minus, layer.W, layer.B), Sigmoid);
                for (int j = 0; j < 3; j++)
                {
                    double d = (hp[n, j] - hm[n, j]) / (2 * h);
                    penalty += d * d;
                }
            }
        }
        Assert.That(Term(report, "contraction"), Is.EqualTo(0.25 * penalty / 4).Within(1e-8));
    }
}
