using Scratch.Models.Data;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// One training epoch of the VAE over the bundled sample's 7,996 training digits in both engines:
/// the same shuffled order (BatchIterator, seed 1), batches of 128 (63 steps, the last of 60),
/// each batch gathered into a fresh tensor, then one step. The test split is not evaluated.
/// </summary>
public sealed class EpochPair
{
    private readonly StepPair _pair;
    private readonly MnistSplit _train;
    private readonly int[][] _batches;

    public EpochPair(ulong seed = 1)
    {
        _train = Sample.Mnist.Train;
        _pair = new StepPair("vae", _train, seed);
        _batches = new BatchIterator(_train.Count, StepPair.BatchSize, seed).Batches(1).ToArray();
    }

    public int Steps => _batches.Length;

    public double RunScratch()
    {
        double sum = 0;
        foreach (var indices in _batches)
            sum += _pair.StepScratchOn(Scratch.Tensor.FromArray(Sample.Gather(_train, indices), indices.Length, _train.PixelsPerImage)) * indices.Length;
        return sum / _train.Count;
    }

    public double RunTorch()
    {
        double sum = 0;
        foreach (var indices in _batches)
        {
            using var x = TorchRuntime.FromArray(Sample.Gather(_train, indices), indices.Length, _train.PixelsPerImage);
            sum += _pair.StepTorchOn(x) * indices.Length;
        }
        return sum / _train.Count;
    }

    /// <summary>The first two steps checked equal (same weights, same ε), as for a single step.</summary>
    public void Validate(int threads) => _pair.Validate(threads);
}
