namespace Scratch.TensorTests;


// Bad input gets an exception that names the op and the shapes — never an index error from a kernel.
public class ErrorMessageTests
{
    [Test]
    public void MatMul_Mismatch_NamesOpAndShapes()
    {
        var a = Tensor.Zeros([3, 2]);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.MatMul(a, a));
        Assert.That(ex!.Message, Is.EqualTo("matmul: shapes (3, 2) and (3, 2) cannot be multiplied"));
    }

    [Test]
    public void Add_NonBroadcastable_NamesShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = Tensor.Zeros([2, 3]) + Tensor.Zeros([4]));
        Assert.That(ex!.Message, Does.Contain("add").And.Contain("(2, 3)").And.Contain("(4)"));
    }

    [Test]
    public void MixedDTypes_AreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = Tensor.Zeros([2]) * Tensor.Zeros([2], DType.Float64));
        Assert.That(ex!.Message, Does.Contain("mul").And.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void NegativeAndOverflowingSizes_AreRefused()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, -1]))!.Message, Does.Contain("negative"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Zeros([65536, 65536]))!.Message, Does.Contain("more than"));
    }

    [Test]
    public void FromArray_WrongCount_NamesShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.That(ex!.Message, Does.Contain("(2, 3)").And.Contain("5 values"));
    }

    [Test]
    public void Reshape_Slice_Axis_Errors_AreClear()
    {
        var t = Tensor.Zeros([4, 3]);
        Assert.That(Assert.Throws<ArgumentException>(() => t.Reshape(5, 2))!.Message, Does.Contain("reshape").And.Contain("(4, 3)"));
        Assert.That(Assert.Throws<ArgumentException>(() => t.Slice(0, 3, 2))!.Message, Does.Contain("slice"));
        Assert.That(Assert.Throws<ArgumentException>(() => t.Sum(2))!.Message, Does.Contain("axis 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Concat([t, Tensor.Zeros([3, 3])], 1))!.Message, Does.Contain("concat"));
    }

    [Test]
    public void UnknownDevice_IsNamed()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Device.Parse("tpu"))!.Message, Does.Contain("tpu"));
    }
}
