using System.Numerics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// One validated GEMM, C = alpha·op(A)·op(B) + beta·C, as raw pointers into pinned memory.
/// op(A) is (m, k), op(B) is (k, n), C is (m, n), all row-major with leading dimensions.
/// </summary>
internal readonly unsafe struct GemmProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public required T* A { get; init; }
    public required T* B { get; init; }
    public required T* C { get; init; }
    public required int Lda { get; init; }
    public required int Ldb { get; init; }
    public required int Ldc { get; init; }
    public required bool TransA { get; init; }
    public required bool TransB { get; init; }
    public required int M { get; init; }
    public required int N { get; init; }
    public required int K { get; init; }
    public required T Alpha { get; init; }
    public required T Beta { get; init; }

    /// <summary>
    /// When set, the problem computes Cᵀ: element (i, j) of this problem's (M, N) result lives at
    /// C[j·ldc + i]. That is how <see cref="NarrowN"/> runs a narrow C as its wide transpose.
    /// </summary>
    public bool TransposedC { get; init; }

    // ---- the fusions of GemmOptions (null / Identity: none) ----

    /// <summary>
    /// The bias of the caller's C, one per column of the caller's C: so per column j here, or per
    /// row i when <see cref="TransposedC"/> (the caller's columns are then this problem's rows).
    /// </summary>
    public T* Bias { get; init; }
    public GemmActivation Activation { get; init; }
    public T Slope { get; init; }

    /// <summary>(M) sums of op(A) over k, accumulated as A is packed (zeroed by the caller).</summary>
    public T* RowSumsOfA { get; init; }

    /// <summary>(N) sums of op(B) over k, accumulated as B is packed (zeroed by the caller).</summary>
    public T* ColumnSumsOfB { get; init; }

    public bool HasEpilogue => Bias != null || Activation != GemmActivation.Identity;

    // Element (i, j) of this problem's result: C[i·ldc + j], or C[j·ldc + i] when TransposedC.
    public T* At(int i, int j) => TransposedC ? C + (long)j * Ldc + i : C + (long)i * Ldc + j;
}
