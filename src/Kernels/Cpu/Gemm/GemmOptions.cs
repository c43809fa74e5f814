using System.Numerics;

namespace Scratch.Kernels;

/// <summary>The activation a GEMM can apply to C in its epilogue, after the bias.</summary>
public enum GemmActivation
{
    /// <summary>C as computed (plus the bias, if any).</summary>
    Identity,

    /// <summary>max(c, 0), NaN kept (as <see cref="UnaryOp.Relu"/>).</summary>
    Relu,

    /// <summary>c where c &gt; 0, else slope·c (torch.nn.LeakyReLU; NaN stays NaN).</summary>
    LeakyRelu,
}

/// <summary>
/// What a GEMM does besides the product, each in the pass it already makes over the data — the
/// dense layer's work that would otherwise be extra passes over memory:
/// <list type="bullet">
/// <item>the epilogue: C[i, j] = act(C[i, j] + ColumnBias[j]), applied to each tile of C as its
/// last k block is written, while it is still in registers (a layer's bias and ReLU);</item>
/// <item>the sums of an operand over k, accumulated while that operand is packed:
/// RowSumsOfA[i] = Σ_p op(A)[i, p] and ColumnSumsOfB[j] = Σ_p op(B)[p, j] — the bias gradient
/// Σ_batch dy, read from dy while the weight gradient's GEMM packs it anyway.</item>
/// </list>
/// Every result is bitwise equal to the unfused passes (the GEMM, then AddBiasRows and Relu, or
/// ColumnSums): the same operations on the same values in the same order.
/// </summary>
/// <remarks>
/// Each span is either empty (that fusion is off) or exactly as long as the dimension it runs
/// along; Gemm throws <see cref="ArgumentException"/> otherwise, or for an undefined Activation.
/// </remarks>
public readonly ref struct GemmOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>(n) or empty: ColumnBias[j] is added to column j of C, after alpha·op(A)·op(B) + beta·C.</summary>
    public ReadOnlySpan<T> ColumnBias { get; init; }

    /// <summary>Applied to C after the bias; <see cref="GemmActivation.Identity"/> (the default) applies none.</summary>
    public GemmActivation Activation { get; init; }

    /// <summary>The slope for x ≤ 0 of <see cref="GemmActivation.LeakyRelu"/>.</summary>
    public T NegativeSlope { get; init; }

    /// <summary>(m) or empty: overwritten with RowSumsOfA[i] = Σ_p op(A)[i, p] (zeros when k = 0).</summary>
    public Span<T> RowSumsOfA { get; init; }

    /// <summary>(n) or empty: overwritten with ColumnSumsOfB[j] = Σ_p op(B)[p, j] (zeros when k = 0).</summary>
    public Span<T> ColumnSumsOfB { get; init; }
}
