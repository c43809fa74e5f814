using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;
using Scratch.Experiments.Metrics;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Experiments.Tests.Autoencoders;

// The strongest end-to-end test of the engine: a linear autoencoder with MSE learns PCA's subspace,
// so its best reconstruction error equals PCA's at the same code size (Baldi & Hornik 1989).
public class LinearAePcaTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));
    private static readonly Lazy<Tensor> Covariance = new(() => Pca.Covariance(Data.Value.Train.ToFloats(), Data.Value.Train.Count, 784));

    [TestCase(2)]
    [TestCase(10)]
    [TestCase(30)]
    public void LinearAe_ReachesPcaError_Within2Percent(int k)
    {
        var train = Data.Value.Train;
        double pca = Pca.ReconstructionError(Covariance.Value, k);

        var spec = new ModelSpec { Kind = "ae", Config = new AutoencoderConfig { HiddenSizes = [], LatentSize = k, Loss = ReconstructionLoss.LinearMse } };
        var model = ModelFactory.Create(spec, new Rng(1));
        var adam = new Adam(model.Parameters(), 1e-2);
        var trainer = new Trainer(model, adam, new TrainOptions { Epochs = 24, Seed = 1, TestLimit = 1 });
        // Adam at a constant rate hovers around the optimum; a tenth of the rate for the last third settles it.
        for (int epoch = 0; epoch < 24; epoch++)
        {
            if (epoch == 16) adam.LearningRate = 1e-3;
            trainer.RunEpoch(train, Data.Value.Test.Take(1));
        }
        double ae = ReconstructionError.Mse(train.ToFloats(), Reconstruction.Reconstruct(model, train));
        TestContext.Out.WriteLine($"k={k}: PCA {pca:F6}, linear AE {ae:F6}, ratio {ae / pca:F4}");
        Assert.That(ae / pca, Is.InRange(0.999, 1.02));
    }

    [Test]
    public void TopEigenvalues_MatchJacobiOnASmallMatrix()
    {
        var rng = new Rng(9);
        var a = Tensor.Randn([12, 12], rng, DType.Float64);
        var symmetric = Tensor.MatMul(a, a, transA: true);
        var values = symmetric.ToArray<double>();
        var m = new double[12, 12];
        for (int i = 0; i < 12; i++) for (int j = 0; j < 12; j++) m[i, j] = values[i * 12 + j];
        var all = Pca.JacobiEigenvalues(m).OrderByDescending(v => v).ToArray();
        Assert.That(Pca.TopEigenvalues(symmetric, 4), Is.EqualTo(all[..4]).Within(1e-8));
        Assert.That(all.Sum(), Is.EqualTo(Enumerable.Range(0, 12).Sum(i => m[i, i])).Within(1e-9));
    }
}
