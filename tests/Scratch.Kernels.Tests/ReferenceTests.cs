using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Tests;

// The oracle itself is checked on values worked out by hand, so the fast kernels are
// compared with something known to be right.
public class ReferenceTests
{
    [Test]
    public void Gemm_TwoByTwo_MatchesHandComputed()
    {
        double[] a = [1, 2, 3, 4];      // (2, 2)
        double[] b = [5, 6, 7, 8];      // (2, 2)
        double[] c = [1, 1, 1, 1];
        Reference.Gemm(false, false, 2, 2, 2, 2.0, a, 2, b, 2, 0.5, c, 2);
        // A·B = [[19, 22], [43, 50]]; 2·A·B + 0.5
        Assert.That(c, Is.EqualTo(new double[] { 38.5, 44.5, 86.5, 100.5 }));
    }

    [Test]
    public void Gemm_Transposes_MatchHandComputed()
    {
        double[] a = [1, 3, 2, 4];      // Aᵀ stored: A = [[1, 2], [3, 4]]
        double[] b = [5, 7, 6, 8];      // Bᵀ stored: B = [[5, 6], [7, 8]]
        double[] c = new double[4];
        Reference.Gemm(true, true, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
        Assert.That(c, Is.EqualTo(new double[] { 19, 22, 43, 50 }));
    }

    [Test]
    public void Softplus_LargeInputs_DoNotOverflow()
    {
        Assert.That(Reference.Apply(UnaryOp.Softplus, 1000.0), Is.EqualTo(1000.0));
        Assert.That(Reference.Apply(UnaryOp.Softplus, -1000.0), Is.EqualTo(0.0));
        Assert.That(Reference.Apply(UnaryOp.Softplus, 0.0), Is.EqualTo(Math.Log(2)).Within(1e-15));
    }

    [Test]
    public void ColumnSums_SumsEachColumn()
    {
        float[] x = [1, 2, 3, 4, 5, 6]; // (2, 3)
        var y = new float[3];
        Reference.ColumnSums<float>(x, 2, 3, y);
        Assert.That(y, Is.EqualTo(new float[] { 5, 7, 9 }));
    }
}
