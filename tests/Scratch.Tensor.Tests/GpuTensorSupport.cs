namespace Scratch.TensorTests;

/// <summary>
/// Helpers for the ilgpu-cpu tests: the same op on a CPU tensor and on its copy on the simulator,
/// compared element by element. The simulator device is created once per test run by the backend
/// registry (first use), so every test after the first pays only for its kernels.
/// </summary>
internal static class GpuCheck
{
    public static readonly Device Sim = Device.IlgpuCpu;

    /// <summary>Uniform in [lo, hi) from a fixed seed, on the CPU.</summary>
    public static Tensor Random(int[] shape, ulong seed, double lo = -1, double hi = 1) =>
        Tensor.Uniform(shape, lo, hi, new Rng(seed));

    /// <summary>
    /// Same shape, and |gpu − cpu| ≤ rel·max(|cpu|, floor) everywhere (NaN and ±∞ must match).
    /// floor is the scale of the terms that made a value: a sum that cancels to near zero is judged
    /// against its terms, not against itself.
    /// </summary>
    public static void Matches(Tensor cpu, Tensor gpu, double rel, double floor = 1e-3, string what = "")
    {
        Assert.That(gpu.Device, Is.EqualTo(Sim), $"{what}: result device");
        Assert.That(gpu.ShapeArray, Is.EqualTo(cpu.ShapeArray), $"{what}: shape");
        var expected = cpu.ToArray<float>();
        var actual = gpu.ToArray<float>();
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
                Assert.Fail($"{what}[{i}] of shape [{string.Join(", ", cpu.ShapeArray)}]: cpu {e:R}, ilgpu-cpu {a:R} (tolerance {tolerance:G3})");
        }
    }
}
