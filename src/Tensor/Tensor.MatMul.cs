namespace Scratch;

// Matrix products. Transposed operands are passed to GEMM as flags: the kernel absorbs them in
// its packing, so Aᵀ·B (a weight gradient) never materializes Aᵀ.
public sealed partial class Tensor
{
    /// <summary>
    /// op(a)·op(b) for 2-D tensors. a: (M, K) or (K, M) when transA; b: (K, N) or (N, K) when transB
    /// → (M, N).
    /// </summary>
    /// <param name="a">The left matrix as stored.</param>
    /// <param name="b">The right matrix as stored.</param>
    /// <param name="transA">Use aᵀ: a transposed operand is read in place by the GEMM, never copied.</param>
    /// <param name="transB">Use bᵀ (e.g. x·Wᵀ for a weight stored (Out, In)).</param>
    /// <exception cref="ArgumentException">An operand is not 2-D, the inner sizes differ, or the dtypes or devices differ.</exception>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        CheckSameDTypeAndDevice("matmul", a, b);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"matmul: needs 2-D tensors, got shapes {Shapes.Format(a._shape)} and {Shapes.Format(b._shape)}");
        // A transposed view is a contiguous matrix read the other way: flip the flag instead of copying.
        (a, transA) = Canonical(a, transA);
        (b, transB) = Canonical(b, transB);
        int m = transA ? a._shape[1] : a._shape[0];
        int k = transA ? a._shape[0] : a._shape[1];
        int kb = transB ? b._shape[1] : b._shape[0];
        int n = transB ? b._shape[0] : b._shape[1];
        if (k != kb)
            throw new ArgumentException($"matmul: shapes {Shapes.Format(transA ? a.T._shape : a._shape)} and {Shapes.Format(transB ? b.T._shape : b._shape)} cannot be multiplied");
        var c = Empty([m, n], a.DType, a.Device);
        a.Backend.Gemm(transA, transB, m, n, k, 1.0, a.Buffer(), a._shape[1], b.Buffer(), b._shape[1], 0.0, c.Buffer(), n);
        return c;
    }

    /// <summary>this · other as matrices: this: (M, K), other: (K, N) → (M, N). See <see cref="MatMul(Tensor, Tensor, bool, bool)"/>.</summary>
    /// <exception cref="ArgumentException">An operand is not 2-D, the inner sizes differ, or the dtypes or devices differ.</exception>
    public Tensor MatMul(Tensor other) => MatMul(this, other);

    // Returns a contiguous matrix and the transpose flag that reads it as the caller meant.
    private static (Tensor, bool) Canonical(Tensor t, bool trans)
    {
        if (t.IsContiguous) return (t, trans);
        var flipped = t.Transpose(0, 1);
        if (flipped.IsContiguous) return (flipped, !trans);
        return (t.Contiguous(), trans);
    }
}
