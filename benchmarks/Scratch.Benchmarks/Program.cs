using BenchmarkDotNet.Running;
using Scratch.Benchmarks;

// `gemm-quick [--threads 1] [--shapes 512^3,256^3]`: a fast Stopwatch table of the GEMM shapes.
// Anything else goes to BenchmarkDotNet, which finds every benchmark class in this assembly:
// `--filter '*Gemm*'`, add `--job short` for a quicker, rougher run, `--list flat` to see them all.
if (args is ["gemm-quick", ..])
{
    GemmQuick.Run(args);
    return;
}
// `device-quick --device cuda`: GEMM 4096² GFLOP/s, a VAE step and an epoch on a device (gpu-check.sh).
if (args is ["device-quick", ..])
{
    DeviceQuick.Run(args);
    return;
}
// `normal-quick`: the denoiser's noise by the old scalar sampler and the counter-based one.
if (args is ["normal-quick", ..])
{
    NormalQuick.Run();
    return;
}
// `data-quick [--count 20000]`: decoding a folder of 40×40 PNGs, images/s, and a second load from the cache.
if (args is ["data-quick", ..])
{
    DataQuick.Run(args);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
