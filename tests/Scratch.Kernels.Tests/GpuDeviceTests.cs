using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

// The device and buffer plumbing: names, copies, bounds, and the CUDA device where one exists.
[TestFixtureSource(typeof(GpuSimulator), nameof(GpuSimulator.Configurations))]
public class GpuDeviceTests(string simulator)
{
    private GpuDevice Device => GpuSimulator.Get(simulator);

    [Test]
    public void CpuSimulator_IsNamedIlgpuCpu_AndShapedLikeAGpu()
    {
        Assert.That(Device.Name, Is.EqualTo("ilgpu-cpu"));
        Assert.That(Device.Accelerator.WarpSize, Is.EqualTo(32));
        Assert.That(Device.Accelerator.MaxNumThreadsPerGroup, Is.GreaterThanOrEqualTo(GemmKernels.ThreadsX * GemmKernels.ThreadsY));
        Assert.That(Device.Accelerator.MaxNumThreadsPerGroup, Is.GreaterThanOrEqualTo(Device.ReductionGroupSize));
    }

    [Test]
    public void Simulators_LaunchReductionsWithTheirOwnSizes()
    {
        // ilgpu-cpu keeps its groups small for speed; cuda-like launches what CreateCuda launches.
        var (groupSize, maxGroups) = simulator == GpuSimulator.CudaLike ? (256, 1024) : (32, 64);
        Assert.That((Device.ReductionGroupSize, Device.MaxReductionGroups), Is.EqualTo((groupSize, maxGroups)));
        Assert.That(groupSize, Is.LessThanOrEqualTo(ReductionKernels.MaxGroupSize), "the kernels' shared memory holds one float per thread");
    }

    [Test]
    public void UploadThenDownload_RoundTrips()
    {
        float[] x = [1.5f, -2f, float.NaN, float.PositiveInfinity, 0f];
        using var buffer = Device.Upload(x);
        Assert.That(buffer.Length, Is.EqualTo(5));
        Assert.That(buffer.ToArray(), Is.EqualTo(x));
    }

    [Test]
    public void CopyWithOffsets_TouchesOnlyTheRange()
    {
        using var buffer = Device.Upload([0f, 0f, 0f, 0f, 0f]);
        buffer.CopyFromHost([7f, 8f], offset: 2);
        var middle = new float[3];
        buffer.CopyToHost(middle, offset: 1);
        Assert.That(middle, Is.EqualTo(new[] { 0f, 7f, 8f }));
    }

    [Test]
    public void Clear_ZeroesTheBuffer()
    {
        using var buffer = Device.Upload([1f, 2f, 3f]);
        buffer.Clear();
        Assert.That(buffer.ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f }));
    }

    [Test]
    public void EmptyBuffer_Works()
    {
        using var buffer = Device.Allocate(0);
        Assert.That(buffer.ToArray(), Is.Empty);
        Device.Unary(UnaryOp.Exp, buffer.View, buffer.View);
        Device.Synchronize();
    }

    [Test]
    public void OutOfRangeCopiesAndSlices_ThrowWithTheNumbers()
    {
        using var buffer = Device.Allocate(4);
        var copy = Assert.Throws<ArgumentOutOfRangeException>(() => buffer.CopyFromHost(new float[3], offset: 2));
        Assert.That(copy!.Message, Does.Contain("GpuBuffer.CopyFromHost").And.Contain("length 4"));
        var slice = Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Slice(3, 2));
        Assert.That(slice!.Message, Does.Contain("[3, 5)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.Allocate(-1));
    }

    [Test]
    public void CreateCuda_WithoutAGpu_FailsWithOneClearLine()
    {
        if (GpuDevice.IsCudaAvailable(out _))
        {
            using var cuda = GpuDevice.CreateCuda();
            Assert.That(cuda.Name, Is.EqualTo("cuda"));
            using var cudaLike = GpuDevice.CreateCudaLikeSimulator();
            Assert.That((cuda.ReductionGroupSize, cuda.MaxReductionGroups), Is.EqualTo((cudaLike.ReductionGroupSize, cudaLike.MaxReductionGroups)),
                "the cuda-like simulator launches what CUDA launches");
            return;
        }
        var error = Assert.Throws<InvalidOperationException>(() => GpuDevice.CreateCuda());
        Assert.That(error!.Message, Does.StartWith("cuda: no CUDA driver or NVIDIA GPU found"));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Cuda_RunsGemmAndSum_MatchingTheReference()
    {
        bool cudaAvailable = GpuDevice.IsCudaAvailable(out var whyNot);
        Assume.That(cudaAvailable, $"no CUDA GPU on this machine: {whyNot}");

        using var cuda = GpuDevice.CreateCuda();
        var a = GpuTestData.Uniform(33 * 40, seed: 81);
        var b = GpuTestData.Uniform(40 * 45, seed: 82);
        var expected = new float[33 * 45];
        Cpu.Reference.Gemm<float>(false, false, 33, 45, 40, 1f, a, 40, b, 45, 0f, expected, 45);
        using var ad = cuda.Upload(a);
        using var bd = cuda.Upload(b);
        using var cd = cuda.Allocate(33 * 45);
        cuda.Gemm(false, false, 33, 45, 40, 1f, ad.View, 40, bd.View, 45, 0f, cd.View, 45);
        GpuTestData.AssertClose(expected, cd.ToArray(), 1e-4, 40, "cuda GEMM");

        using var sum = cuda.Allocate(1);
        cuda.Sum(ad.View, sum.View);
        Assert.That(sum.ToArray()[0], Is.EqualTo(a.Sum()).Within(1e-3));
    }
}
