using Scratch.Experiments.Metrics;

namespace Scratch.Experiments.Tests.Metrics;

public class SymmetricEigenTests
{
    [Test]
    public void TwoByTwo_HandCase()
    {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3, vectors (1, −1)/√2 and (1, 1)/√2.
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.That(values[0], Is.EqualTo(1).Within(1e-15));
        Assert.That(values[1], Is.EqualTo(3).Within(1e-15));
        Assert.That(Math.Abs(vectors[0 * 2 + 1]), Is.EqualTo(Math.Sqrt(0.5)).Within(1e-15));
        Assert.That(vectors[0 * 2 + 1] * vectors[1 * 2 + 1], Is.GreaterThan(0), "the vector of 3 is (1, 1)");
        Assert.That(vectors[0 * 2 + 0] * vectors[1 * 2 + 0], Is.LessThan(0), "the vector of 1 is (1, −1)");
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(33)]
    public void Random_ReconstructsAndIsOrthogonal(int n)
    {
        var rng = new Random(n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++)
            a[i * n + j] = a[j * n + i] = rng.NextDouble() * 2 - 1;
        var (values, v) = SymmetricEigen.Decompose(a, n);
        for (int k = 1; k < n; k++) Assert.That(values[k], Is.GreaterThanOrEqualTo(values[k - 1]), "ascending");
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            double rebuilt = 0, gram = 0;
            for (int k = 0; k < n; k++)
            {
                rebuilt += v[i * n + k] * values[k] * v[j * n + k];
                gram += v[k * n + i] * v[k * n + j];
            }
            Assert.That(rebuilt, Is.EqualTo(a[i * n + j]).Within(1e-12), $"V·Λ·Vᵀ at ({i}, {j})");
            Assert.That(gram, Is.EqualTo(i == j ? 1 : 0).Within(1e-12), $"VᵀV at ({i}, {j})");
        }
    }

    [Test]
    public void RepeatedAndZeroEigenvalues()
    {
        // x·xᵀ with x = (1, 2, 2): rank 1, eigenvalues 0, 0, 9.
        double[] x = [1, 2, 2];
        var a = new double[9];
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            a[i * 3 + j] = x[i] * x[j];
        var (values, _) = SymmetricEigen.Decompose(a, 3);
        Assert.That(values, Is.EqualTo(new[] { 0.0, 0.0, 9.0 }).Within(1e-14));
    }

    [Test]
    public void BadInput_NamesTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([1, 2, 3, 4], 2));
        Assert.That(ex!.Message, Does.Contain("not symmetric at (1, 0)"));
        ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([1, 2, 3], 2));
        Assert.That(ex!.Message, Does.Contain("not a 2×2 matrix"));
    }
}
