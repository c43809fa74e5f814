using static Scratch.TensorTests.GpuCheck;

namespace Scratch.TensorTests;

// Views and data movement on ilgpu-cpu: transposes, slices, broadcasts and ranks above the strided
// kernel's four, concat and copy into views, and round trips between devices.
public class GpuViewAndMovementTests
{
    [Test]
    public void To_RoundTrip_IsExact_AndLeavesTheSourceAlone()
    {
        var x = Random([45, 33], 71);
        var g = x.To(Sim);
        Assert.That(g.Device, Is.EqualTo(Sim));
        Assert.That(g.To(Sim), Is.SameAs(g));
        var back = g.To(Device.Cpu);
        Assert.That(back.Device, Is.EqualTo(Device.Cpu));
        Assert.That(back.ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
        // A view moves as its elements, in row-major order.
        Assert.That(x.T.To(Sim).ToArray<float>(), Is.EqualTo(x.T.ToArray<float>()));
        Assert.That(g.T.To(Device.Cpu).ToArray<float>(), Is.EqualTo(x.T.ToArray<float>()));
    }

    [Test]
    public void Contiguous_OfTransposesSlicesAndBroadcasts_IsExact()
    {
        var x = Random([4, 7, 33], 72);
        var g = x.To(Sim);
        Tensor[] cpu = [x.Transpose(0, 2), x.Transpose(1, 2), x.Slice(1, 2, 3), x.Slice(2, 5, 20).Transpose(0, 1),
                        x.Slice(0, 1, 1), Random([1, 33], 73).BroadcastTo([7, 33]), Tensor.Scalar(2.5).BroadcastTo([3, 4])];
        Tensor[] gpu = [g.Transpose(0, 2), g.Transpose(1, 2), g.Slice(1, 2, 3), g.Slice(2, 5, 20).Transpose(0, 1),
                        g.Slice(0, 1, 1), Random([1, 33], 73).To(Sim).BroadcastTo([7, 33]), Tensor.Scalar(2.5, device: Sim).BroadcastTo([3, 4])];
        for (int i = 0; i < cpu.Length; i++)
        {
            var expected = cpu[i].Contiguous();
            var actual = gpu[i].Contiguous();
            Assert.That(actual.IsContiguous, Is.True);
            Assert.That(actual.ShapeArray, Is.EqualTo(expected.ShapeArray), $"view {i}");
            Assert.That(actual.ToArray<float>(), Is.EqualTo(expected.ToArray<float>()), $"view {i}");
        }
    }

    [Test]
    public void Gather_AboveRankFour_LoopsOverTheLeadingDimensions()
    {
        // (2, 3, 2, 5, 3, 4) with axes swapped so nothing collapses: rank 6 after simplification.
        var x = Random([2, 3, 2, 5, 3, 4], 74).Reshape(2, 3, 2, 5, 3, 4);
        var view = x.Transpose(0, 5).Transpose(2, 3);
        var g = x.To(Sim).Transpose(0, 5).Transpose(2, 3);
        Assert.That(g.Contiguous().ToArray<float>(), Is.EqualTo(view.Contiguous().ToArray<float>()));
    }

    [Test]
    public void Collapse_MergesRunsAndDropsUnitDimensions()
    {
        var (sizes, strides) = GpuBackend.Collapse([4, 1, 7, 33], [231, 231, 33, 1]);
        Assert.That(sizes, Is.EqualTo(new[] { 924 }));
        Assert.That(strides, Is.EqualTo(new long[] { 1 }));
        (sizes, strides) = GpuBackend.Collapse([33, 7], [1, 33]);   // a transpose stays two dimensions
        Assert.That(sizes, Is.EqualTo(new[] { 33, 7 }));
        Assert.That(strides, Is.EqualTo(new long[] { 1, 33 }));
    }

    [Test]
    public void Concat_AndCopyIntoViews_MatchCpu()
    {
        var a = Random([5, 7], 75);
        var b = Random([5, 3], 76);
        var c = Random([2, 7], 77);
        var (ga, gb, gc) = (a.To(Sim), b.To(Sim), c.To(Sim));
        Assert.That(Tensor.Concat([ga, gb], 1).ToArray<float>(), Is.EqualTo(Tensor.Concat([a, b], 1).ToArray<float>()));
        Assert.That(Tensor.Concat([ga, gc, ga], 0).ToArray<float>(), Is.EqualTo(Tensor.Concat([a, c, a], 0).ToArray<float>()));

        // A transposed source copied into a column block: strided on both sides.
        var source = Random([3, 7], 78);
        var target = Tensor.Zeros([7, 5]);
        var gTarget = Tensor.Zeros([7, 5], device: Sim);
        target.Slice(1, 1, 3).CopyFrom(source.T);
        gTarget.Slice(1, 1, 3).CopyFrom(source.To(Sim).T);
        Assert.That(gTarget.ToArray<float>(), Is.Not.All.EqualTo(0f));
        Assert.That(gTarget.ToArray<float>(), Is.EqualTo(target.ToArray<float>()));
    }

    [Test]
    public void EmptyTensors_WorkOnTheDevice()
    {
        var empty = Tensor.Zeros([0, 3], device: Sim);
        Assert.That(empty.ToArray<float>(), Is.Empty);
        Assert.That(empty.Sum().Item(), Is.EqualTo(0.0));
        Assert.That((empty + 1).Exp().ShapeArray, Is.EqualTo(new[] { 0, 3 }));
        Assert.That(empty.T.Contiguous().ShapeArray, Is.EqualTo(new[] { 3, 0 }));
        Assert.That(Tensor.Zeros([0, 3]).T.Contiguous().ShapeArray, Is.EqualTo(new[] { 3, 0 }), "the same on the CPU");
        var product = Tensor.MatMul(empty.T, empty);
        Assert.That(product.ShapeArray, Is.EqualTo(new[] { 3, 3 }));
        Assert.That(product.ToArray<float>(), Is.All.EqualTo(0f), "K = 0: a (3, 3) of zeros");
    }

    [Test]
    public void RandomTensors_DrawnOnTheHost_AreTheSameOnEveryDevice()
    {
        var cpu = Tensor.Randn([7, 33], new Rng(5));
        var gpu = Tensor.Randn([7, 33], new Rng(5), device: Sim);
        Assert.That(gpu.Device, Is.EqualTo(Sim));
        Assert.That(gpu.ToArray<float>(), Is.EqualTo(cpu.ToArray<float>()));
        Assert.That(Tensor.Arange(5, device: Sim).ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4 }));
    }
}
