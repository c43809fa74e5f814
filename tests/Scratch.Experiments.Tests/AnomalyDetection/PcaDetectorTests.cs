using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Data;
using Scratch.Experiments.Evaluation;

namespace Scratch.Experiments.Tests.AnomalyDetection;

public class PcaDetectorTests
{
    [Test]
    public void Score_IsZeroInsideTheFittedPlaneAndTheSquaredDistancePerPixelOutside()
    {
        // Training images on a plane through m spanned by two orthonormal axes e1, e2 in 6 pixels.
        double s = 1 / Math.Sqrt(2);
        double[] m = [0.3, 0.2, 0.5, 0.1, 0.4, 0.6];
        double[] e1 = [s, s, 0, 0, 0, 0], e2 = [0, 0, 1, 0, 0, 0], e3 = [0, 0, 0, 0, s, -s];
        var rng = new Random(4);
        var train = Enumerable.Range(0, 40).SelectMany(_ => Point(m, (e1, rng.NextDouble() - 0.5), (e2, 2 * rng.NextDouble() - 1))).ToArray();
        var pca = PcaDetector.Fit(train.Select(v => (float)v).ToArray(), 40, 6, components: 2);

        var test = Point(m, (e1, 0.7), (e2, -0.4)).Concat(Point(m, (e1, 0.1), (e3, 0.3))).ToArray();
        var scores = pca.Score(test.Select(v => (float)v).ToArray(), 2);
        Assert.That(scores[0], Is.EqualTo(0).Within(1e-9), "a point of the plane");
        Assert.That(scores[1], Is.EqualTo(0.3 * 0.3 / 6).Within(1e-7), "0.3 off the plane along e3, per pixel");
    }

    [Test]
    public void MeanScoreOnTheTrainingImages_IsPcasReconstructionError()
    {
        var ones = OneClassProtocol.OfClass(DataSource.Load(DataSource.SampleDirectory()).Train, 1);
        var pca = PcaDetector.Fit(ones, components: 10);
        double expected = Pca.ReconstructionError(Pca.Covariance(ones.ToFloats(), ones.Count, 784), 10);
        Assert.That(pca.Score(ones).Average(), Is.EqualTo(expected).Within(1e-6 * expected));
    }

    [Test]
    public void TopComponents_AreOrthonormalEigenvectors()
    {
        var a = Tensor.Randn([12, 12], new Rng(9), DType.Float64);
        var symmetric = Tensor.MatMul(a, a, transA: true);
        var (values, vectors) = Pca.TopComponents(symmetric, 4);
        var m = symmetric.ToArray<double>();
        for (int c = 0; c < 4; c++)
        {
            for (int i = 0; i < 12; i++)
            {
                double av = 0;
                for (int j = 0; j < 12; j++) av += m[i * 12 + j] * vectors[j, c];
                Assert.That(av, Is.EqualTo(values[c] * vectors[i, c]).Within(1e-8 * values[0]), $"A·v = λ·v, component {c}, row {i}");
            }
            for (int d = 0; d < 4; d++)
            {
                double dot = 0;
                for (int i = 0; i < 12; i++) dot += vectors[i, c] * vectors[i, d];
                Assert.That(dot, Is.EqualTo(c == d ? 1 : 0).Within(1e-10));
            }
        }
    }

    private static float[] Point(double[] origin, params (double[] Axis, double Amount)[] steps)
    {
        var p = (double[])origin.Clone();
        foreach (var (axis, amount) in steps)
            for (int i = 0; i < p.Length; i++) p[i] += amount * axis[i];
        return p.Select(v => (float)v).ToArray();
    }
}
