using System.Runtime.Intrinsics.X86;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cpu.Gemm;

namespace Scratch.Kernels.Tests;

// Which micro-kernel the GEMM picks, and the cache facts its blocking comes from. CI runs the
// kernel tests three times on its AVX-512 machine (.ci/run): as is, with DOTNET_EnableAVX512=0 and
// with DOTNET_EnableAVX2=0; this test fails if a run did not take the path its switches select,
// so a renamed runtime knob cannot silently turn the extra runs into repeats of the first.
public class GemmDispatchTests
{
    [Test]
    public void MicroKernel_IsTheOneTheInstructionSetSwitchesSelect()
    {
        bool Off(string name) => Environment.GetEnvironmentVariable("DOTNET_" + name) == "0";
        string kernel = CpuKernels.GemmMicroKernel;
        TestContext.Out.WriteLine($"GEMM micro-kernel: {kernel}");
        if (Off("EnableAVX2") || Off("EnableAVX"))
            Assert.That(kernel, Does.StartWith("Vector128"));
        else if (Off("EnableAVX512") && Avx2.IsSupported)
            Assert.That(kernel, Does.StartWith("Vector256, 6 x 16"));
        else if (Avx512F.IsSupported)
            Assert.That(kernel, Does.StartWith("Vector512, 12 x 32"));
        else
            Assert.That(kernel, Does.StartWith("Vector"));
    }

    [TestCase(128, 20, 12, 32, true, TestName = "VAE head on the 12 x 32 kernel: transposed")]
    [TestCase(128, 40, 6, 16, true, TestName = "VAE 40-wide head on the 6 x 16 kernel: transposed")]
    [TestCase(128, 32, 12, 32, false, TestName = "a full tile of columns: as stored")]
    [TestCase(128, 400, 12, 32, false, TestName = "wide N: as stored")]
    [TestCase(10, 20, 12, 32, false, TestName = "M smaller than N: as stored")]
    public void NarrowN_TakesThePathOnlyWhereTilesFillBetter(int m, int n, int mr, int nr, bool expected) =>
        Assert.That(NarrowN.Pays(m, n, mr, nr), Is.EqualTo(expected));
}

public class GemmBlockingTests
{
    [Test]
    public void CacheSizes_ReadFromSysfsLayout()
    {
        var root = Directory.CreateTempSubdirectory("cache-");
        try
        {
            void Index(int i, int level, string type, string size, string shared)
            {
                var d = Directory.CreateDirectory(Path.Combine(root.FullName, $"index{i}")).FullName;
                File.WriteAllText(Path.Combine(d, "level"), $"{level}\n");
                File.WriteAllText(Path.Combine(d, "type"), $"{type}\n");
                File.WriteAllText(Path.Combine(d, "size"), $"{size}\n");
                File.WriteAllText(Path.Combine(d, "shared_cpu_list"), $"{shared}\n");
            }
            Index(0, 1, "Data", "48K", "0");
            Index(1, 1, "Instruction", "32K", "0");
            Index(2, 2, "Unified", "1024K", "0");
            Index(3, 3, "Unified", "32768K", "0-3,8-11");
            var c = CacheSizes.Read(root.FullName);
            Assert.That((c.L1Data, c.L2, c.L3PerCore), Is.EqualTo((48L * 1024, 1024L * 1024, 4L * 1024 * 1024)));
        }
        finally { root.Delete(recursive: true); }
    }

    [Test]
    public void CacheSizes_MissingFolder_FallsBack() =>
        Assert.That(CacheSizes.Read("/no/such/cache/folder"), Is.EqualTo(CacheSizes.Fallback));

    [TestCase("48K", 49152L)]
    [TestCase("32M", 33554432L)]
    [TestCase("512", 512L)]
    public void CacheSizes_ParseSize(string text, long bytes) => Assert.That(CacheSizes.ParseSize(text), Is.EqualTo(bytes));

    // Zen 4 (L1d 32 KiB, L2 1 MiB) and Zen 5 (48 KiB): the B micro-panel of the 12 × 32 kernel gets
    // the L1 (KC 256 and 384, cut evenly: 784 = 4 × 196 and 3 × 262); the A block fits half the L2.
    [TestCase(32, 784, 196)]
    [TestCase(48, 784, 262)]
    [TestCase(48, 100, 100)]
    public void Blocking_FromCacheSizes(int l1KiB, int k, int expectedKc)
    {
        var cache = new CacheSizes(l1KiB * 1024, 1024 * 1024, 16L * 1024 * 1024, "test");
        var b = Blocking.For(cache, sizeof(float), 512, 784, k, 12, 32);
        Assert.That(b.KC, Is.EqualTo(expectedKc));
        Assert.That(b.MC % 12, Is.Zero);
        Assert.That((long)b.MC * b.KC * sizeof(float), Is.LessThanOrEqualTo(cache.L2 / 2 + 12 * b.KC * sizeof(float)));
        Assert.That(b.NC % 32, Is.Zero);
    }
}
