using System.Buffers;
using Scratch.Models.Data;

namespace Scratch.Models.Training;

/// <summary>
/// Turns the next batch's bytes into floats on a thread-pool thread while the current step computes,
/// so a step finds its batch ready: a data loader with one batch of lookahead (PyTorch's DataLoader
/// with prefetch_factor 1). The floats live in pooled arrays, so an epoch allocates none.
/// </summary>
/// <remarks>
/// The background thread only reads the image bytes and writes its own array; the step's tensors,
/// the tensor pool and the kernels' worker pool stay on the training thread.
/// </remarks>
public sealed class BatchPrefetcher(ImageSet images)
{
    private Task<float[]>? _pending;
    private int[]? _pendingIndices;

    /// <summary>Starts converting the batch <paramref name="next"/> (null: nothing comes next).</summary>
    public void Prefetch(int[]? next)
    {
        Drop();
        if (next is null) return;
        _pendingIndices = next;
        _pending = Task.Run(() => Convert(next));
    }

    /// <summary>
    /// The floats of the batch at <paramref name="indices"/>: (B, P), rented from
    /// <see cref="ArrayPool{T}.Shared"/> (at least B·P long) — give it back with <see cref="Return"/>.
    /// The prefetched batch when it is this one, else converted now.
    /// </summary>
    public float[] Take(int[] indices)
    {
        if (_pending is not null && ReferenceEquals(_pendingIndices, indices))
        {
            var ready = _pending.Result;
            (_pending, _pendingIndices) = (null, null);
            return ready;
        }
        Drop();
        return Convert(indices);
    }

    /// <summary>Gives a batch's array back to the pool.</summary>
    public static void Return(float[] batch) => ArrayPool<float>.Shared.Return(batch);

    // A prefetch nobody took (the epoch stopped, or another batch was asked for): wait and give its array back.
    private void Drop()
    {
        if (_pending is null) return;
        Return(_pending.Result);
        (_pending, _pendingIndices) = (null, null);
    }

    private float[] Convert(int[] indices)
    {
        int p = images.PixelsPerImage;
        var batch = ArrayPool<float>.Shared.Rent(indices.Length * p);
        for (int b = 0; b < indices.Length; b++)
            images.CopyImage(indices[b], batch.AsSpan(b * p, p));
        return batch;
    }
}
