using System.Numerics;

namespace Scratch.Kernels.Cpu;

// The binary cross-entropy on logits, fused: the loss of every element and its sum in one sweep
// (the composition takes six passes and six buffers), and the gradient in one more.
public static partial class CpuKernels
{
    // Elements per chunk: small enough for the stack and L1, large enough for the SIMD loops.
    private const int LossChunk = 2048;

    /// <summary>
    /// Σᵢ softplus(xᵢ) − xᵢ·tᵢ, i.e. Σ max(x, 0) − x·t + ln(1 + e^−|x|): BCE of logits x against targets t.
    /// Computed chunk by chunk with the SIMD softplus, chunk sums added in order — the same result
    /// whatever the thread count. logits, target: (n).
    /// </summary>
    public static T BceWithLogitsSum<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("bce with logits", logits.Length, target.Length, "target");
        Span<T> chunk = stackalloc T[LossChunk];
        Span<T> product = stackalloc T[LossChunk];
        T total = T.Zero;
        for (int start = 0; start < logits.Length; start += LossChunk)
        {
            int n = Math.Min(LossChunk, logits.Length - start);
            var x = logits.Slice(start, n);
            Unary(UnaryOp.Softplus, x, chunk[..n]);
            Binary(BinaryOp.Mul, x, target.Slice(start, n), product[..n]);
            Binary(BinaryOp.Sub, chunk[..n], product[..n], chunk[..n]);
            total += Sum<T>(chunk[..n]);
        }
        return total;
    }

    /// <summary>grad = (σ(x) − t)·scale, the gradient of the BCE sum times the output gradient. All (n).</summary>
    public static void BceWithLogitsBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, T scale, Span<T> grad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("bce with logits backward", logits.Length, target.Length, "target");
        CheckSameLength("bce with logits backward", logits.Length, grad.Length, "gradient");
        Unary(UnaryOp.Sigmoid, logits, grad);
        Binary(BinaryOp.Sub, grad, target, grad);
        BinaryScalar(BinaryOp.Mul, grad, scale, grad);
    }
}
