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
// ColumnBias: (n) or empty; RowSumsOfA: (m) or empty; ColumnSumsOfB: (n) or empty (all overwritten).
public readonly ref struct GemmOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ReadOnlySpan<T> ColumnBias { get; init; }
    public GemmActivation Activation { get; init; }

    /// <summary>The slope for x ≤ 0 of <see cref="GemmActivation.LeakyRelu"/>.</summary>
    public T NegativeSlope { get; init; }

    public Span<T> RowSumsOfA { get; init; }
    public Span<T> ColumnSumsOfB { get; init; }
}
