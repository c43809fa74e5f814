using Scratch.Autograd;

namespace Scratch.AutogradTests;

// The tape itself: accumulation, no-grad, detach, release, anomaly mode, and the checker's own failures.
public class EngineTests
{
    private static Variable Leaf(params double[] values) => new(Tensor.FromArray(values, values.Length), requiresGrad: true);

    [Test]
    public void ValueUsedTwice_AccumulatesBothGradients()
    {
        var x = Leaf(3);
        var y = x * x + x;     // dy/dx = 2x + 1 = 7
        y.Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(7.0));
    }

    [Test]
    public void Gradients_AccumulateAcrossBackwardCalls_UntilZeroGrad()
    {
        var x = Leaf(2);
        (x * 3.0).Sum().Backward();
        (x * 3.0).Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(6.0));
        x.ZeroGrad();
        Assert.That(x.Grad, Is.Null);
    }

    // Backward reuses its bookkeeping (pending gradients, visit order) from one call to the next:
    // a big graph, a failing one and a small one in turn must each see only their own nodes.
    [Test]
    public void BackwardPasses_OneAfterAnother_DoNotSeeEachOthersNodes()
    {
        var x = Leaf(2);
        var big = x;
        for (int i = 0; i < 50; i++) big = big * 1.0 + x * 0.0;   // d/dx = 1
        big.Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(1.0));

        var y = Leaf(1, 2);
        var released = (y * 2.0).Sum();
        released.Backward();
        Assert.Throws<InvalidOperationException>(() => released.Backward());

        var z = Leaf(5);
        (z * z).Sum().Backward();   // d/dz = 2z = 10
        Assert.That(z.Grad!.Item(), Is.EqualTo(10.0));
        Assert.That(x.Grad!.Item(), Is.EqualTo(1.0), "an earlier graph's leaf got nothing more");
        Assert.That(y.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, 2.0 }));
    }

    [Test]
    public void NoGrad_RecordsNothing_AndIsRestoredAfterAnException()
    {
        var x = Leaf(1, 2);
        using (NoGrad.Scope())
        {
            var y = (x * 2.0).Exp();
            Assert.That(y.IsLeaf, Is.True);
            Assert.That(y.RequiresGrad, Is.False);
        }
        Assert.That(GradMode.IsEnabled, Is.True);
        Assert.Throws<InvalidOperationException>(() =>
        {
            using (NoGrad.Scope()) throw new InvalidOperationException("boom");
        });
        Assert.That(GradMode.IsEnabled, Is.True);
        Assert.That((x * 2.0).IsLeaf, Is.False);
    }

    [Test]
    public void Detach_CutsTheGraph()
    {
        var x = Leaf(2);
        var y = (x * x).Detach() * x;   // d/dx of c·x with c = 4 held constant
        y.Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(4.0));
    }

    [Test]
    public void Graph_IsReleasedAfterBackward_UnlessRetained()
    {
        var x = Leaf(1);
        var y = (x.Exp() * 2.0).Sum();
        y.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("already released"));

        var z = (x.Exp() * 2.0).Sum();
        z.Backward(Tensor.OnesLike(z.Data), retainGraph: true);
        z.Backward(Tensor.OnesLike(z.Data));
        Assert.That(x.Grad!.Item(), Is.EqualTo(2 * 2 * Math.E + 2 * Math.E).Within(1e-12));
    }

    [Test]
    public void Backward_FromNonScalar_NeedsAGradient()
    {
        var x = Leaf(1, 2);
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        Assert.That(ex!.Message, Does.Contain("(2)"));
    }

    [Test]
    public void AnomalyMode_NamesTheOp_ForwardAndBackward()
    {
        var x = Leaf(-1, 2);
        using (Anomaly.Scope())
        {
            var ex = Assert.Throws<AnomalyException>(() => x.Log());
            Assert.That(ex!.Message, Does.Contain("'log'").And.Contain("(2)"));
            // sqrt(0) is fine forward, but its gradient 1/(2·0) is infinite.
            var z = Leaf(0, 1);
            var y = z.Sqrt().Sum();
            var back = Assert.Throws<AnomalyException>(() => y.Backward());
            Assert.That(back!.Message, Does.Contain("backward of 'sqrt'"));
        }
        Assert.That(Anomaly.IsEnabled, Is.False);
        Assert.DoesNotThrow(() => x.Log());   // outside the scope NaN passes silently, as in PyTorch
    }

    [Test]
    public void GradCheck_CatchesAWrongGradient_WithAReadableMessage()
    {
        // A deliberately wrong op: forward x², backward claims 3x.
        static Variable WrongSquare(Variable x)
        {
            var data = x.Data;
            return Variable.FromOp("wrong square", data.Square(), [x], dy => [dy * data * 3.0]);
        }
        var ex = Assert.Throws<GradCheckException>(() => GradCheck.Check("wrong square", v => WrongSquare(v[0]), [Inputs.Normal(1, 3)]));
        Assert.That(ex!.Message, Does.Contain("'wrong square'").And.Contain("input 0 (3)").And.Contain("worst at element"));
    }

    [Test]
    public void GradCheck_RefusesFloat32()
    {
        var ex = Assert.Throws<ArgumentException>(() => GradCheck.Check("exp", v => v[0].Exp(), [Tensor.Ones([2])]));
        Assert.That(ex!.Message, Does.Contain("float64"));
    }
}
