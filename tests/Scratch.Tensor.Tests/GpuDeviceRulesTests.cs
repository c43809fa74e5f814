using Scratch.Kernels.Gpu;
using static Scratch.TensorTests.GpuCheck;

namespace Scratch.TensorTests;

// The rules of GPU devices, as a user meets them: clear errors for mixed devices, float64 and a
// missing GPU; optimizer steps equal to the CPU's; device buffers pooled per TensorPool scope.
public class GpuDeviceRulesTests
{
    [Test]
    public void MixingDevices_InOneOp_IsAClearError()
    {
        var cpu = Tensor.Ones([3]);
        var gpu = Tensor.Ones([3], device: Sim);
        var e = Assert.Throws<ArgumentException>(() => _ = cpu + gpu);
        Assert.That(e!.Message, Does.Contain("on different devices, cpu and ilgpu-cpu"));
        e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Ones([2, 3], device: Sim), Tensor.Ones([3, 2])));
        Assert.That(e!.Message, Does.Contain("matmul").And.Contain("different devices"));
    }

    [Test]
    public void Float64_OnAGpuDevice_IsAClearError()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tensor.Zeros([2], DType.Float64, Sim));
        Assert.That(e!.Message, Is.EqualTo("ilgpu-cpu: float64 is not supported on GPU devices; use float32"));
        e = Assert.Throws<NotSupportedException>(() => Tensor.Ones([2], DType.Float64).To(Sim));
        Assert.That(e!.Message, Is.EqualTo("ilgpu-cpu: float64 is not supported on GPU devices; use float32"));
        // Converting on the device goes through float32 → float64 on the host, then refuses the upload.
        Assert.Throws<NotSupportedException>(() => Tensor.Ones([2], device: Sim).To(DType.Float64));
    }

    [Test]
    public void Cuda_WhereThereIsNone_SaysSoInOneLine()
    {
        if (GpuDevice.IsCudaAvailable(out _))
        {
            // A real GPU: the same op must then run there.
            Assert.That((Tensor.Ones([3], device: Device.Cuda) * 2).Sum().Item(), Is.EqualTo(6.0));
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Ones([3], device: Device.Cuda));
        Assert.That(e!.Message, Does.StartWith("cuda: no CUDA driver or NVIDIA GPU found"));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Cuda_OnARealGpu_MatchesCpu()
    {
        Assume.That(GpuDevice.IsCudaAvailable(out var why), why);
        var a = Random([45, 33], 81);
        var b = Random([33, 40], 82);
        Assert.That(Tensor.MatMul(a.To(Device.Cuda), b.To(Device.Cuda)).To(Device.Cpu).ToArray<float>(),
            Is.EqualTo(Tensor.MatMul(a, b).ToArray<float>()).Within(1e-4f).Percent);
    }

    [Test]
    public void AdamAndSgdSteps_MatchCpu([Values] bool decoupled, [Values(0.0, 0.9)] double momentum)
    {
        var adam = new AdamSettings(LearningRate: 1e-2, WeightDecay: 0.05, Decoupled: decoupled);
        var sgd = new SgdSettings(0.05, Momentum: momentum, WeightDecay: 0.01);
        var p = Random([45, 33], 83);
        var (m, v, buf) = (Tensor.ZerosLike(p), Tensor.ZerosLike(p), Tensor.ZerosLike(p));
        var gp = p.To(Sim);
        var (gm, gv, gbuf) = (Tensor.ZerosLike(gp), Tensor.ZerosLike(gp), Tensor.ZerosLike(gp));
        var q = p.Clone();
        var gq = gp.Clone();
        for (int step = 1; step <= 3; step++)
        {
            var grad = Random([45, 33], 84 + (ulong)step, -3, 3);
            Tensor.AdamStep(p, grad, m, v, adam, step);
            Tensor.AdamStep(gp, grad.To(Sim), gm, gv, adam, step);
            Tensor.SgdStep(q, grad, buf, sgd, step);
            Tensor.SgdStep(gq, grad.To(Sim), gbuf, sgd, step);
        }
        Matches(p, gp, 1e-5, 1, "adam parameter");
        Matches(v, gv, 1e-5, 1e-3, "adam v");
        Matches(q, gq, 1e-5, 1, "sgd parameter");
    }

    [Test]
    public void Scope_ReturnsDeviceBuffers_AndReusesThemNextScope()
    {
        var backend = (GpuBackend)Backends.For(Sim);
        var x = Random([7, 33], 85).To(Sim);
        Tensor inside;
        using (TensorPool.Scope())
        {
            inside = (x * 2 + 1).Sum();
            Assert.That(inside.Item(), Is.EqualTo((x * 2 + 1).Sum().Item()).Within(1e-4));
        }
        int pooled = backend.PooledBufferCount;
        Assert.That(pooled, Is.GreaterThanOrEqualTo(3), "the scope's three results went back to the pool");
        var e = Assert.Throws<InvalidOperationException>(() => inside.Item());
        Assert.That(e!.Message, Does.Contain("went back to the pool"));

        // The same work again: served from the pool, which therefore does not grow.
        for (int step = 0; step < 3; step++)
            using (TensorPool.Scope())
            {
                var again = (x * 2 + 1).Sum();
                // Reused buffers hold old values; a new tensor must still start at zero.
                Assert.That(Tensor.ZerosLike(x).Sum().Item(), Is.EqualTo(0.0));
                Assert.That(again.Item(), Is.EqualTo((x * 2 + 1).Sum().Item()).Within(1e-4));
            }
        Assert.That(backend.PooledBufferCount, Is.LessThanOrEqualTo(pooled + 3));

        // Persistent allocations inside a scope are the tensor's own, as on the CPU.
        Tensor kept;
        using (TensorPool.Scope())
        using (TensorPool.Persistent())
            kept = x * 3;
        Assert.That(kept.ToArray<float>(), Is.EqualTo((x * 3).ToArray<float>()));
    }
}

public class GpuUnscopedMemoryTests
{
    [Test]
    public void BuffersOfCollectedTensors_GoBackToThePool()
    {
        var backend = (GpuBackend)Backends.For(GpuCheck.Sim);
        backend.ReclaimCollected();
        MakeGarbage();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(backend.ReclaimCollected(), Is.GreaterThanOrEqualTo(10));
        var kept = Tensor.Full([123457], 2, device: GpuCheck.Sim);   // rents a reclaimed buffer: must still hold 2s
        GC.Collect();
        backend.ReclaimCollected();
        Assert.That(kept.Sum().Item(), Is.EqualTo(2.0 * 123457).Within(1e-3).Percent);
    }

    // Outside the caller's frame, so no local keeps the tensors alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MakeGarbage()
    {
        for (int i = 0; i < 10; i++) _ = Tensor.Full([123457], i, device: GpuCheck.Sim);
    }
}
