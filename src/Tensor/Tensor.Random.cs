namespace Scratch;

// Random tensors, always drawn from an explicit Rng so every run is reproducible from its seed.
// Uniform and Bernoulli values are drawn on the host in row-major order, then moved to the device.
// Normal samples are bulk draws of the counter-based generator (Philox, Kernels/Cpu/Random) keyed by
// two words drawn from the Rng: made on the tensor's device, vectorized and threaded, element i
// a function of (key, stream, i) alone — so the Rng's seed still fixes them.
public sealed partial class Tensor
{
    /// <summary>Uniform in [low, high).</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is greater than <paramref name="high"/>, or the shape is invalid.</exception>
    public static Tensor Uniform(int[] shape, double low, double high, Rng rng, DType dtype = DType.Float32, Device? device = null)
    {
        if (!(low <= high)) throw new ArgumentException($"uniform: low {low} is greater than high {high}");
        return Draw(shape, dtype, device, "uniform", (rng, low, high), static (s, values) => s.rng.FillUniform(values, s.low, s.high), static (s, values) => s.rng.FillUniform(values, s.low, s.high));
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static Tensor Rand(int[] shape, Rng rng, DType dtype = DType.Float32, Device? device = null) =>
        Uniform(shape, 0, 1, rng, dtype, device);

    /// <summary>Standard normal samples (advances the Rng by two draws, whatever the size).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count exceeds int.MaxValue.</exception>
    public static Tensor Randn(int[] shape, Rng rng, DType dtype = DType.Float32, Device? device = null)
    {
        Shapes.ElementCount(shape, "randn");
        var (key, stream) = rng.NextCounterKey();
        var t = Empty(shape, dtype, device ?? Device.Cpu);
        t.Backend.FillNormal(t.Buffer(), key, stream);
        return t;
    }

    /// <summary>1 with probability p, else 0.</summary>
    /// <exception cref="ArgumentException"><paramref name="p"/> is not in [0, 1], or the shape is invalid.</exception>
    public static Tensor Bernoulli(int[] shape, double p, Rng rng, DType dtype = DType.Float32, Device? device = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"bernoulli: probability {p} is not in [0, 1]");
        return Draw(shape, dtype, device, "bernoulli", (rng, p), static (s, values) => s.rng.FillBernoulli(values, s.p), static (s, values) => s.rng.FillBernoulli(values, s.p));
    }

    private delegate void Filler<TState, T>(TState state, Span<T> values);

    // Draws straight into a (pooled) CPU buffer in row-major order, then moves it to the device if it
    // lives elsewhere. The fillers are static lambdas over an explicit state: no closure per call.
    private static Tensor Draw<TState>(int[] shape, DType dtype, Device? device, string op, TState state,
        Filler<TState, float> fillFloat, Filler<TState, double> fillDouble)
    {
        Shapes.ElementCount(shape, op);
        var host = Empty(shape, dtype, Device.Cpu);
        if (dtype == DType.Float32) fillFloat(state, CpuBackend.Span<float>(host.Buffer()));
        else fillDouble(state, CpuBackend.Span<double>(host.Buffer()));
        return host.To(device ?? Device.Cpu);
    }
}
