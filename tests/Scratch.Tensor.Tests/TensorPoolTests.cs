namespace Scratch.TensorTests;

public class TensorPoolTests
{
    [Test]
    public void UseAfterScope_FailsWithAClearMessage()
    {
        Tensor inside;
        using (TensorPool.Scope()) inside = Tensor.Ones([3]) * 2.0;
        var ex = Assert.Throws<InvalidOperationException>(() => inside.ToArray<float>());
        Assert.That(ex!.Message, Does.Contain("went back to the pool"));
    }

    [Test]
    public void SteadyState_ReusesBuffers_WithoutNewArrays()
    {
        static void Step() { using (TensorPool.Scope()) _ = (Tensor.Ones([256, 256]) + 1.0).Exp().Sum().Item(); }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        // Three 256 KB buffers a step without the pool; with it only small bookkeeping objects.
        Assert.That(perStep, Is.LessThan(16 * 1024));
    }

    [Test]
    public void ReusedBuffers_StartAtZero_AndPersistentTensorsSurvive()
    {
        using (TensorPool.Scope()) Tensor.Full([64], 5.0).Fill(7);
        Tensor kept;
        using (TensorPool.Scope())
        {
            Assert.That(Tensor.Zeros([64]).ToArray<float>(), Is.All.EqualTo(0f));
            using (TensorPool.Persistent()) kept = Tensor.Full([4], 3.0);
        }
        Assert.That(kept.ToArray<float>(), Is.All.EqualTo(3f));
    }

    [Test]
    public void NestedScopes_AreRefused()
    {
        using (TensorPool.Scope())
            Assert.Throws<InvalidOperationException>(() => TensorPool.Scope());
    }
}
