using System.Text.Json.Nodes;
using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Autoencoders;

/// <summary>
/// The AVAE's self-consistency terms against the authors' formulas written as plain loops and
/// against central differences in float64; its post-processing mode trains the encoder only, on
/// the decoder's own images, and keeps the decoder (BatchNorm statistics included) bit for bit;
/// its recipe round-trips and files written before it still read.
/// </summary>
public class AutoencodingVaeTests
{
    private static Tensor Gaussian(int rows, int cols, ulong seed, double scale = 1) => Tensor.Randn([rows, cols], new Rng(seed), DType.Float64) * scale;

    // avae_elbo's two terms, negated into losses, in plain loops over (B, d) arrays of μ and log σ².
    private static (double Conditional, double Entropy) ByHand(double[,] mu, double[,] logVar, double[,] muAux, double[,] logVarAux, double rho)
    {
        int b = mu.GetLength(0), d = mu.GetLength(1);
        double spread = 0, entropy = 0;
        for (int n = 0; n < b; n++)
            for (int j = 0; j < d; j++)
            {
                double diff = muAux[n, j] - rho * mu[n, j];
                spread += Math.Exp(logVarAux[n, j]) + rho * rho * Math.Exp(logVar[n, j]) + diff * diff;
                entropy += 0.5 * Math.Log(2 * Math.PI * Math.E * Math.Exp(logVarAux[n, j]));
            }
        double expectedLogConditional = d * Math.Log(1 / (2 * Math.PI)) - spread / b / (2 * (1 - rho * rho));
        return (-expectedLogConditional, entropy / b);
    }

    private static double[,] Matrix(Tensor t)
    {
        var v = t.ToArray<double>();
        var m = new double[t.Shape[0], t.Shape[1]];
        for (int i = 0; i < v.Length; i++) m[i / t.Shape[1], i % t.Shape[1]] = v[i];
        return m;
    }

    [TestCase(0.5)]
    [TestCase(0.975)]
    public void SelfConsistencyTerms_EqualTheAuthorsFormulasByHand(double rho)
    {
        Tensor[] t = [Gaussian(5, 4, 1), Gaussian(5, 4, 2, 0.5), Gaussian(5, 4, 3), Gaussian(5, 4, 4, 0.5)];
        var (conditional, entropy) = AutoencodingVae.SelfConsistency(t[0], t[1], t[2], t[3], rho);
        var expected = ByHand(Matrix(t[0]), Matrix(t[1]), Matrix(t[2]), Matrix(t[3]), rho);
        Assert.That(conditional.Data.Item(), Is.EqualTo(expected.Conditional).Within(1e-12 * Math.Abs(expected.Conditional)));
        Assert.That(entropy.Data.Item(), Is.EqualTo(expected.Entropy).Within(1e-12 * Math.Max(1, Math.Abs(expected.Entropy))));
    }

    [TestCase(0.3)]
    [TestCase(0.975)]
    public void SelfConsistencyTerms_PassTheFloat64GradientCheck(double rho)
    {
        // μ, log σ² of x's posterior and of the aux images' posterior: every input gets a gradient.
        Tensor[] inputs = [Gaussian(3, 4, 11), Gaussian(3, 4, 12, 0.5), Gaussian(3, 4, 13), Gaussian(3, 4, 14, 0.5)];
        GradCheck.Check("avae conditional", v => AutoencodingVae.SelfConsistency(v[0], v[1], v[2], v[3], rho).Conditional, inputs);
        // The entropy depends on log σ_aux² alone.
        GradCheck.Check("avae entropy", v => AutoencodingVae.SelfConsistency(inputs[0], inputs[1], inputs[2], v[0], rho).Entropy, [inputs[3]]);
        GradCheck.Check("avae self-consistency", v =>
        {
            var (conditional, entropy) = AutoencodingVae.SelfConsistency(v[0], v[1], v[2], v[3], rho);
            return conditional - entropy;
        }, inputs);
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    public void RhoOutsideTheOpenUnitInterval_IsRefused(double rho)
    {
        var e = Assert.Throws<ArgumentException>(() => new AutoencodingVae(new AutoencoderConfig { InputSize = 6, HiddenSizes = [4], LatentSize = 2 }, new Rng(1), rho))!;
        Assert.That(e.Message, Does.Contain("rho"));
    }

    [Test]
    public void Loss_IsTheVaeLossPlusTheSelfConsistencyTerms()
    {
        var config = new AutoencoderConfig { InputSize = 6, HiddenSizes = [5], LatentSize = 3, DType = DType.Float64 };
        var avae = new AutoencodingVae(config, new Rng(1), rho: 0.8);
        var vae = new VariationalAutoencoder(config, new Rng(1));
        Assert.That(avae.StateDict()["encoder.0.weight"].ToArray<double>(), Is.EqualTo(vae.StateDict()["encoder.0.weight"].ToArray<double>()),
            "the same seed draws a VAE's weights");
        var x = Tensor.Rand([4, 6], new Rng(7), DType.Float64);
        var report = avae.ComputeLoss(x, new TrainingContext(new Rng(9)));
        var plain = vae.ComputeLoss(x, new TrainingContext(new Rng(9)));   // the same ε
        double Term(LossReport r, string name) => r.Terms.Single(t => t.Name == name).Value;
        Assert.That(Term(report, "reconstruction"), Is.EqualTo(Term(plain, "reconstruction")).Within(1e-12));
        Assert.That(Term(report, "kl"), Is.EqualTo(Term(plain, "kl")).Within(1e-12));
        Assert.That(report.Value, Is.EqualTo(plain.Value + Term(report, "conditional") - Term(report, "entropy")).Within(1e-10));
    }

    private static readonly AutoencoderConfig Conv = new()
    {
        InputSize = ImageShape.Mnist.Pixels, Image = ImageShape.Mnist, LatentSize = 2, Architecture = Architecture.Conv, ConvWidth = 4,
    };

    private static ImageSet Digits(int count, ulong seed)
    {
        var pixels = new byte[count * 784];
        new Random((int)seed).NextBytes(pixels);
        return new ImageSet(ImageShape.Mnist, pixels, labels: null);
    }

    [Test]
    public void PostProcessing_TrainsTheEncoderOnly_AndKeepsTheDecoderAndItsStatistics()
    {
        // A conv VAE trained one epoch, so its BatchNorm statistics are its own.
        var options = new TrainOptions { Epochs = 1, BatchSize = 16, Seed = 3 };
        var vae = new VariationalAutoencoder(Conv, new Rng(3));
        new Trainer(vae, Optimization.CreateOptimizer(options, vae.Parameters()), options).Fit(Digits(32, 1), Digits(16, 2));
        var vaeState = vae.NamedState().ToDictionary(s => s.Name, s => s.Value.ToArray<float>());

        var avae = AutoencodingVae.PostProcess(vae, rho: 0.9);
        Assert.That(avae.PostProcessing, Is.True);
        foreach (var (name, value) in avae.NamedState())
            Assert.That(value.ToArray<float>(), Is.EqualTo(vaeState[name]), $"{name} copied");
        Assert.That(avae.TrainableParameters(), Is.EqualTo(avae.Encoder.Parameters()));

        var trainer = new Trainer(avae, Optimization.CreateOptimizer(options with { Epochs = 2 }, avae.TrainableParameters()), options with { Epochs = 2 });
        trainer.Fit(Digits(32, 1), Digits(16, 2));
        Assert.That(trainer.History.Select(h => h.TrainTerms.Select(t => t.Name)).First(), Is.EqualTo(new[] { "reconstruction", "kl", "conditional", "entropy" }));
        foreach (var (name, value) in avae.NamedState().Where(s => s.Name.StartsWith("decoder.", StringComparison.Ordinal)))
            Assert.That(value.ToArray<float>(), Is.EqualTo(vaeState[name]), $"{name} kept bit for bit (parameters and running statistics)");
        Assert.That(avae.NamedState().Where(s => s.Name.StartsWith("encoder.", StringComparison.Ordinal) && s.Name.EndsWith("weight", StringComparison.Ordinal))
            .Any(s => !s.Value.ToArray<float>().SequenceEqual(vaeState[s.Name])), Is.True, "the encoder learned");
        Assert.That(vae.NamedState().All(s => s.Value.ToArray<float>().SequenceEqual(vaeState[s.Name])), Is.True, "the VAE itself is untouched");
    }

    [Test]
    public void PostProcessing_TrainsOnTheDecodersImages_AndEvaluatesOnTheGivenOnes()
    {
        var config = new AutoencoderConfig { InputSize = 6, HiddenSizes = [5], LatentSize = 3, DType = DType.Float64 };
        var avae = AutoencodingVae.PostProcess(new VariationalAutoencoder(config, new Rng(1)), rho: 0.8);
        var (x, y) = (Tensor.Rand([4, 6], new Rng(7), DType.Float64), Tensor.Rand([4, 6], new Rng(8), DType.Float64));
        // Training: the images do not matter, only how many there are.
        Assert.That(avae.ComputeLoss(x, new TrainingContext(new Rng(9))).Value, Is.EqualTo(avae.ComputeLoss(y, new TrainingContext(new Rng(9))).Value));
        var prior = Tensor.Randn([4, 3], new Rng(9), DType.Float64);
        var epsilon = Tensor.Randn([4, 3], new Rng(10), DType.Float64);
        Assert.That(avae.SelfSupervisedLoss(prior, epsilon).Value, Is.Not.EqualTo(avae.Loss(x, epsilon).Value));
        // Eval: the objective of the given images, so a test loss compares with the VAE's.
        avae.Eval();
        var evaluated = avae.ComputeLoss(x, new TrainingContext(new Rng(9))).Value;
        Assert.That(evaluated, Is.EqualTo(avae.Loss(x, Tensor.Randn([4, 3], new Rng(9), DType.Float64)).Value).Within(1e-12));
        Assert.That(evaluated, Is.Not.EqualTo(avae.ComputeLoss(y, new TrainingContext(new Rng(9))).Value));
    }

    [Test]
    public void Recipe_RoundTripsRhoAndTheMode_AndOldFilesRead()
    {
        var config = new AutoencoderConfig { InputSize = 6, HiddenSizes = [5], LatentSize = 3 };
        var avae = AutoencodingVae.PostProcess(new VariationalAutoencoder(config, new Rng(1)), rho: 0.7, beta: 2);
        var spec = ModelCheckpoint.SpecOf(avae);
        var json = JsonNode.Parse(AutoencoderRecipe.Spec(spec).ToJsonString())!.AsObject();
        var read = AutoencoderRecipe.ReadSpec(new MetadataReader("x.scratch"), json);
        Assert.That((read.Kind, read.Rho, read.PostProcessing, read.Beta), Is.EqualTo(("avae", 0.7, true, 2.0)));
        var rebuilt = (AutoencodingVae)ModelFactory.Create(read, new Rng(1));
        Assert.That((rebuilt.Rho, rebuilt.PostProcessing, rebuilt.TrainableParameters().Count()), Is.EqualTo((0.7, true, 4)));

        // A recipe written before the AVAE: no "rho", no "postProcessing".
        json.Remove("rho");
        json.Remove("postProcessing");
        json["kind"] = "vae";
        var old = AutoencoderRecipe.ReadSpec(new MetadataReader("x.scratch"), json);
        Assert.That((old.Rho, old.PostProcessing), Is.EqualTo((AutoencodingVae.DefaultRho, false)));
    }
}
