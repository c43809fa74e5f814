using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Scratch.Benchmarks;

/// <summary>
/// CpuKernels.Gemm (float32) on the VAE's shapes and on squares, 1 and 2 threads. Each case is
/// checked against Reference.Gemm in GlobalSetup before it is timed.
/// Run: dotnet run -c Release --project benchmarks/Scratch.Benchmarks -- --filter '*Gemm*' [--job short]
/// </summary>
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private GemmData<float> _data = null!;

    public static IEnumerable<GemmShape> Shapes => GemmShape.All;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.All[0];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = GemmData<float>.Create(Shape);
        _data.Validate(Threads);
    }

    [Benchmark]
    public void Gemm() => _data.RunFast(Threads);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }
}
