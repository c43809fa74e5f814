using Scratch.Models.Data;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// One training epoch of the VAE over the bundled sample's 7,996 training digits in both engines:
/// the same shuffled order (BatchIterator, seed 1), batches of 128 (63 steps, the last of 60),
/// each batch gathered into a tensor, then one step. The test split is not evaluated.
/// </summary>
public sealed class EpochPair
{
    private readonly StepPair _pair;
    private readonly ImageSet _train;
    private readonly int[][] _batches;

    public EpochPair(ulong seed = 1)
    {
        _train = Sample.Mnist.Train;
        _pair = new StepPair("vae", _train, seed);
        _batches = new BatchIterator(_train.Count, StepPair.BatchSize, seed).Batches(1).ToArray();
    }

    public int Steps => _batches.Length;

    // One reusable host buffer per batch size (128, and 60 for the last batch), in both engines:
    // what an input pipeline does, and no 400 KB array per step on the large-object heap.
    private readonly Dictionary<int, float[]> _buffers = [];

    private float[] Gather(int[] indices)
    {
        int pixels = _train.PixelsPerImage;
        if (!_buffers.TryGetValue(indices.Length, out var buffer))
            _buffers[indices.Length] = buffer = new float[indices.Length * pixels];
        for (int b = 0; b < indices.Length; b++)
            _train.CopyImage(indices[b], buffer.AsSpan(b * pixels, pixels));
        return buffer;
    }

    /// <summary>Scratch: each step in a TensorPool scope, batch tensor included, as Trainer does. Returns the mean loss.</summary>
    public double RunScratch()
    {
        double sum = 0;
        foreach (var indices in _batches)
            using (TensorPool.Scope())
                sum += _pair.StepScratchOn(Scratch.Tensor.FromArray(Gather(indices), indices.Length, _train.PixelsPerImage)) * indices.Length;
        return sum / _train.Count;
    }

    /// <summary>TorchSharp: each batch copied into a fresh tensor, each step in a dispose scope. Returns the mean loss.</summary>
    public double RunTorch()
    {
        double sum = 0;
        foreach (var indices in _batches)
        {
            using var x = TorchRuntime.FromArray(Gather(indices), indices.Length, _train.PixelsPerImage);
            sum += _pair.StepTorchOn(x) * indices.Length;
        }
        return sum / _train.Count;
    }

    /// <summary>The first two steps checked equal (same weights, same ε), as for a single step.</summary>
    public void Validate(int threads) => _pair.Validate(threads);
}
