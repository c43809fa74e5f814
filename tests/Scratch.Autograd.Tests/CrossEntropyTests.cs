using Scratch.Autograd;

namespace Scratch.AutogradTests;

public class CrossEntropyTests
{
    [Test]
    public void GradCheck_SeveralShapes()
    {
        Inputs.Check("cross entropy 4×5", v => Losses.CrossEntropy(v[0], [0, 4, 2, 2]), Inputs.Normal(40, 4, 5) * 3.0);
        Inputs.Check("cross entropy 1×3", v => Losses.CrossEntropy(v[0], [1]), Inputs.Normal(41, 1, 3));
    }

    [Test]
    public void HandCase_AndStableForLargeLogits()
    {
        // logits (0, ln 3): softmax (1/4, 3/4); label 1 → −ln(3/4).
        var z = new Variable(Tensor.FromArray(new double[] { 0, Math.Log(3) }, 1, 2), requiresGrad: true);
        var loss = Losses.CrossEntropy(z, [1]);
        Assert.That(loss.Item(), Is.EqualTo(-Math.Log(0.75)).Within(1e-15));
        loss.Backward();
        Assert.That(z.Grad!.ToArray<double>(), Is.EqualTo(new[] { 0.25, -0.25 }).Within(1e-15), "softmax − onehot");
        var big = new Variable(Tensor.FromArray(new float[] { 1000, 0, -1000 }, 1, 3), requiresGrad: true);
        Assert.That(Losses.CrossEntropy(big, [0]).Item(), Is.EqualTo(0).Within(1e-6));
        Assert.That(Losses.CrossEntropy(big, [1]).Item(), Is.EqualTo(1000).Within(1e-3));
    }

    [Test]
    public void BadLabels_NameTheProblem()
    {
        var z = new Variable(Tensor.Zeros([2, 3]));
        Assert.That(Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(z, [0, 3]))!.Message, Does.Contain("label 3 at row 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(z, [0]))!.Message, Does.Contain("B = 1 labels"));
    }
}
