using BenchmarkDotNet.Running;
using Scratch.Benchmarks;

// `gemm-quick`: a fast Stopwatch table; anything else goes to BenchmarkDotNet, e.g.
// `--filter '*Gemm*'` or `--filter '*Gemm*' --job short`.
if (args is ["gemm-quick", ..])
{
    GemmQuick.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
