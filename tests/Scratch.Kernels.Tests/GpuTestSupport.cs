using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

/// <summary>
/// The two ILGPU CPU simulators every GPU test class here runs on (a <c>TestFixtureSource</c> over
/// <see cref="Configurations"/>): <c>ilgpu-cpu</c>, the small launch sizes users get, and
/// <c>cuda-like</c>, the sizes <see cref="GpuDevice.CreateCuda"/> launches with, so CUDA's code paths
/// (256-thread reduction groups, up to 1024 of them) run without a GPU. Each device is created on first
/// use and kept for the run: creating one and compiling its kernels costs far more than the small
/// shapes the tests use.
/// </summary>
[SetUpFixture]
public sealed class GpuSimulator
{
    public const string Small = "ilgpu-cpu", CudaLike = "cuda-like";

    /// <summary>The fixture arguments: one name per simulator.</summary>
    public static readonly string[] Configurations = [Small, CudaLike];

    private static readonly Dictionary<string, GpuDevice> Devices = [];

    public static GpuDevice Get(string configuration)
    {
        lock (Devices)
        {
            if (!Devices.TryGetValue(configuration, out var device))
            {
                device = configuration switch
                {
                    Small => GpuDevice.CreateCpuSimulator(),
                    CudaLike => GpuDevice.CreateCudaLikeSimulator(),
                    _ => throw new ArgumentException($"GpuSimulator: no configuration '{configuration}'"),
                };
                Devices[configuration] = device;
            }
            return device;
        }
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        lock (Devices)
        {
            foreach (var device in Devices.Values) device.Dispose();
            Devices.Clear();
        }
    }
}

internal static class GpuTestData
{
    public static readonly int[] Lengths = [0, 1, 7, 33, 257, 1000];

    /// <summary>Uniform in [lo, hi), from a fixed seed so failures reproduce.</summary>
    public static float[] Uniform(int n, int seed, float lo = -1, float hi = 1)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * random.NextSingle();
        return x;
    }

    /// <summary>Wide-range values with the IEEE special cases sprinkled in at fixed places.</summary>
    public static float[] WithSpecials(int n, int seed)
    {
        var x = Uniform(n, seed, -30, 30);
        float[] specials = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f, 100f, -100f, 1e-20f];
        for (int i = 0; i < n; i += 3) x[i] = specials[(i / 3) % specials.Length];
        return x;
    }

    /// <summary>NaN where expected is NaN, the same infinity, else |actual − expected| ≤ rel·max(|expected|, floor).</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rel, double floor, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) || float.IsInfinity(e))
            {
                Assert.That(a, Is.EqualTo(e), $"{what}[{i}]");
                continue;
            }
            double tolerance = rel * Math.Max(Math.Abs(e), floor);
            if (Math.Abs(a - e) > tolerance)
                Assert.Fail($"{what}[{i}]: expected {e:R}, got {a:R} (tolerance {tolerance:G3})");
        }
    }
}
