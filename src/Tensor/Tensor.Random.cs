namespace Scratch;

// Random tensors, always drawn from an explicit Rng so every run is reproducible from its seed.
// Values are drawn on the host in row-major order, then moved to the device.
public sealed partial class Tensor
{
    /// <summary>Uniform in [low, high).</summary>
    public static Tensor Uniform(int[] shape, double low, double high, Rng rng, DType dtype = DType.Float32, Device? device = null)
    {
        if (!(low <= high)) throw new ArgumentException($"uniform: low {low} is greater than high {high}");
        return Draw(shape, dtype, device, "uniform", () => low + (high - low) * rng.NextDouble());
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static Tensor Rand(int[] shape, Rng rng, DType dtype = DType.Float32, Device? device = null) =>
        Uniform(shape, 0, 1, rng, dtype, device);

    /// <summary>Standard normal samples.</summary>
    public static Tensor Randn(int[] shape, Rng rng, DType dtype = DType.Float32, Device? device = null) =>
        Draw(shape, dtype, device, "randn", rng.NextNormal);

    /// <summary>1 with probability p, else 0.</summary>
    public static Tensor Bernoulli(int[] shape, double p, Rng rng, DType dtype = DType.Float32, Device? device = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"bernoulli: probability {p} is not in [0, 1]");
        return Draw(shape, dtype, device, "bernoulli", () => rng.NextDouble() < p ? 1.0 : 0.0);
    }

    // Draws straight into a (pooled) CPU buffer, then moves it to the device if it lives elsewhere.
    private static Tensor Draw(int[] shape, DType dtype, Device? device, string op, Func<double> next)
    {
        Shapes.ElementCount(shape, op);
        var host = Empty(shape, dtype, Device.Cpu);
        if (dtype == DType.Float32)
        {
            var values = CpuBackend.Span<float>(host.Buffer());
            for (int i = 0; i < values.Length; i++) values[i] = (float)next();
        }
        else
        {
            var values = CpuBackend.Span<double>(host.Buffer());
            for (int i = 0; i < values.Length; i++) values[i] = next();
        }
        return host.To(device ?? Device.Cpu);
    }
}
