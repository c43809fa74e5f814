using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Scratch.Benchmarks.Torch;

// BenchmarkDotNet suites: TorchSharp is the baseline of each pair, so the Ratio column reads
// Scratch's time / TorchSharp's (below 1 = Scratch faster). Each [GlobalSetup] checks the pair
// computes the same result before anything is timed. Run in-process (Program adds --inProcess):
// an out-of-process child would rebuild the project and copy libtorch's ~600 MB once more.

/// <summary>GEMM at the VAE's shapes (forward and backward) and 512³.</summary>
[MemoryDiagnoser]
[Config(typeof(GemmConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class GemmVsTorch
{
    private GemmPair _pair = null!;

    public static IEnumerable<GemmShape> Shapes => Suite.GemmShapes;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = Suite.GemmShapes[0];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pair = new GemmPair(Shape);
        _pair.Validate(Threads);
        TorchRuntime.SetThreadsOfBoth(Threads);
    }

    [Benchmark(Baseline = true)]
    public void TorchSharp() => _pair.RunTorch();

    [Benchmark]
    public void Scratch() => _pair.RunScratch();

    [GlobalCleanup]
    public void Cleanup() => _pair.Dispose();

    private sealed class GemmConfig : ManualConfig
    {
        public GemmConfig() => AddColumn(new GflopsColumn());
    }
}

/// <summary>One training step (zero grad, forward, loss, backward, Adam) of each variant at batch 128.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class TrainingStepVsTorch
{
    private StepPair _pair = null!;

    [ParamsSource(nameof(Kinds))]
    public string Kind { get; set; } = "vae";

    public static IEnumerable<string> Kinds => Suite.Kinds;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pair = new StepPair(Kind, Sample.Mnist.Train);
        _pair.Validate(Threads);
        TorchRuntime.SetThreadsOfBoth(Threads);
    }

    [Benchmark(Baseline = true)]
    public double TorchSharp() => _pair.StepTorch();

    [Benchmark]
    public double Scratch() => _pair.StepScratch();
}

/// <summary>One epoch of the VAE over the bundled sample (63 steps).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class EpochVsTorch
{
    private EpochPair _pair = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pair = new EpochPair();
        _pair.Validate(Threads);
        TorchRuntime.SetThreadsOfBoth(Threads);
    }

    [Benchmark(Baseline = true)]
    public double TorchSharp() => _pair.RunTorch();

    [Benchmark]
    public double Scratch() => _pair.RunScratch();
}

/// <summary>What the suites measure, in one place.</summary>
public static class Suite
{
    /// <summary>The VAE's GEMMs at batch 128 (forward, and the backward products) and 512³.</summary>
    public static readonly GemmShape[] GemmShapes = [.. GemmShape.All.Where(s => s.Name is not ("256^3" or "1024^3"))];

    public static readonly string[] Kinds = ["vae", "ae", "sparse", "denoising", "contractive"];
}
