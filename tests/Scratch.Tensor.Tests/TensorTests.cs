namespace Scratch.TensorTests;


public class TensorTests
{
    [Test]
    public void FromArray_RoundTrips_AndReportsShape()
    {
        var t = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.That(t.ShapeArray, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(t.Strides.ToArray(), Is.EqualTo(new[] { 3, 1 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Device, Is.EqualTo(Device.Cpu));
    }

    [Test]
    public void Creation_FillsValues()
    {
        Assert.That(Tensor.Zeros([2, 2]).ToArray<float>(), Is.All.EqualTo(0f));
        Assert.That(Tensor.Ones([3], DType.Float64).ToArray<double>(), Is.All.EqualTo(1.0));
        Assert.That(Tensor.Full([2], 7.5).ToArray<float>(), Is.All.EqualTo(7.5f));
        Assert.That(Tensor.Arange(4).ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3 }));
        Assert.That(Tensor.Scalar(3).Item(), Is.EqualTo(3.0));
    }

    [Test]
    public void Transpose_IsAView_AndGathersCorrectly()
    {
        var t = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var tt = t.T;
        Assert.That(tt.Storage, Is.SameAs(t.Storage));
        Assert.That(tt.IsContiguous, Is.False);
        Assert.That(tt.ShapeArray, Is.EqualTo(new[] { 3, 2 }));
        Assert.That(tt.ToArray<double>(), Is.EqualTo(new double[] { 1, 4, 2, 5, 3, 6 }));
    }

    [Test]
    public void Reshape_OfContiguous_IsAView_AndInfersMinusOne()
    {
        var t = Tensor.Arange(12).Reshape(3, -1);
        Assert.That(t.ShapeArray, Is.EqualTo(new[] { 3, 4 }));
        var r = t.Reshape(2, 6);
        Assert.That(r.Storage, Is.SameAs(t.Storage));
        // Reshaping a transposed view must copy, keeping row-major order of the view.
        Assert.That(t.T.Reshape(12).ToArray<float>()[..4], Is.EqualTo(new float[] { 0, 4, 8, 1 }));
    }

    [Test]
    public void Slice_Rows_IsContiguousView_Columns_AreStrided()
    {
        var t = Tensor.Arange(12).Reshape(4, 3);
        var rows = t.Slice(0, 1, 2);
        Assert.That(rows.IsContiguous, Is.True);
        Assert.That(rows.Storage, Is.SameAs(t.Storage));
        Assert.That(rows.ToArray<float>(), Is.EqualTo(new float[] { 3, 4, 5, 6, 7, 8 }));
        var cols = t.Slice(1, 1, 2);
        Assert.That(cols.IsContiguous, Is.False);
        Assert.That(cols.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 4, 5, 7, 8, 10, 11 }));
    }

    [Test]
    public void Concat_AlongFeatures_JoinsColumns()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var b = Tensor.FromArray(new float[] { 5, 6 }, 2, 1);
        var c = Tensor.Concat([a, b], axis: 1);
        Assert.That(c.ShapeArray, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(c.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 5, 3, 4, 6 }));
    }

    [Test]
    public void Broadcasting_FollowsNumPyRules()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var row = Tensor.FromArray(new float[] { 10, 20, 30 }, 3);
        var col = Tensor.FromArray(new float[] { 100, 200 }, 2, 1);
        Assert.That((a + row).ToArray<float>(), Is.EqualTo(new float[] { 11, 22, 33, 14, 25, 36 }));
        Assert.That((a + col).ToArray<float>(), Is.EqualTo(new float[] { 101, 102, 103, 204, 205, 206 }));
        var outer = col * Tensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        Assert.That(outer.ShapeArray, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(outer.ToArray<float>(), Is.EqualTo(new float[] { 100, 200, 300, 200, 400, 600 }));
        Assert.That((a * Tensor.Scalar(2)).ToArray<float>(), Is.EqualTo(new float[] { 2, 4, 6, 8, 10, 12 }));
        Assert.That((1.0 - a).ToArray<float>()[0], Is.EqualTo(0f));
    }

    [Test]
    public void SumTo_ReducesBroadcastAxes()
    {
        var g = Tensor.Ones([4, 3]);
        Assert.That(g.SumTo([3]).ToArray<float>(), Is.EqualTo(new float[] { 4, 4, 4 }));
        Assert.That(g.SumTo([4, 1]).ToArray<float>(), Is.EqualTo(new float[] { 3, 3, 3, 3 }));
        Assert.That(g.SumTo([]).Item(), Is.EqualTo(12.0));
    }

    [Test]
    public void Reductions_AlongEachAxis()
    {
        var t = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        Assert.That(t.Sum().Item(), Is.EqualTo(276.0));
        Assert.That(t.Mean().Item(), Is.EqualTo(11.5));
        Assert.That(t.Max().Item(), Is.EqualTo(23.0));
        var s1 = t.Sum(1);
        Assert.That(s1.ShapeArray, Is.EqualTo(new[] { 2, 4 }));
        Assert.That(s1.ToArray<double>(), Is.EqualTo(new double[] { 12, 15, 18, 21, 48, 51, 54, 57 }));
        Assert.That(t.Sum(-1).ToArray<double>(), Is.EqualTo(new double[] { 6, 22, 38, 54, 70, 86 }));
        Assert.That(t.Sum(0, keepDim: true).ShapeArray, Is.EqualTo(new[] { 1, 3, 4 }));
        var m0 = t.Max(0);
        Assert.That(m0.ShapeArray, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(m0.ToArray<double>(), Is.EqualTo(Enumerable.Range(12, 12).Select(i => (double)i).ToArray()));
        var m1 = t.Max(1, keepDim: true);
        Assert.That(m1.ShapeArray, Is.EqualTo(new[] { 2, 1, 4 }));
        Assert.That(m1.ToArray<double>(), Is.EqualTo(new double[] { 8, 9, 10, 11, 20, 21, 22, 23 }));
    }

    [Test]
    public void MatMul_WithTransposedViews_MatchesHandComputed()
    {
        var a = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.FromArray(new double[] { 1, 0, 0, 1, 1, 1 }, 3, 2);
        Assert.That(a.MatMul(b).ToArray<double>(), Is.EqualTo(new double[] { 4, 5, 10, 11 }));
        // aᵀ·a through a view: no copy, the GEMM reads the flag.
        Assert.That(Tensor.MatMul(a.T, a).ToArray<double>(), Is.EqualTo(new double[] { 17, 22, 27, 22, 29, 36, 27, 36, 45 }));
        Assert.That(Tensor.MatMul(a, a, transB: true).ToArray<double>(), Is.EqualTo(new double[] { 14, 32, 32, 77 }));
    }

    [Test]
    public void ElementwiseOps_ComputeExpectedValues()
    {
        var x = Tensor.FromArray(new double[] { -2, 0, 3 }, 3);
        Assert.That(x.Relu().ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 3 }));
        Assert.That(x.Abs().ToArray<double>(), Is.EqualTo(new double[] { 2, 0, 3 }));
        Assert.That(x.Square().ToArray<double>(), Is.EqualTo(new double[] { 4, 0, 9 }));
        Assert.That(x.Clamp(-1, 1).ToArray<double>(), Is.EqualTo(new double[] { -1, 0, 1 }));
        Assert.That(x.Sigmoid().ToArray<double>()[1], Is.EqualTo(0.5));
        Assert.That(x.ReluBackward(Tensor.Ones([3], DType.Float64)).ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 1 }));
    }

    [Test]
    public void To_ConvertsDType()
    {
        var t = Tensor.FromArray(new float[] { 1.5f, -2 }, 2).To(DType.Float64);
        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 1.5, -2 }));
    }

    [Test]
    public void AsSpan_WritesIntoACpuTensor_AndRefusesOtherLayouts()
    {
        var t = Tensor.Zeros([2, 3]);
        t.AsSpan<float>()[4] = 7;
        Assert.That(t.ToArray<float>()[4], Is.EqualTo(7f));
        Assert.That(Assert.Throws<InvalidOperationException>(() => t.T.AsSpan<float>())!.Message, Does.Contain("non-contiguous"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => t.AsSpan<double>())!.Message, Does.Contain("float64"));
    }
}
